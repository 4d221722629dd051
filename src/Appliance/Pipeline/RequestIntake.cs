using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.Telemetry.Metrics;
using Microsoft.Extensions.Logging;
using System.Globalization;

namespace Appliance.Pipeline;

/// <summary>
/// Takes what arrives on the request, cancel and ask topics (and the pool's request topic, answered alike): parses it, decides where its replies go (MQTT 5 response
/// topic + correlation data, else reply_to, else `&lt;base&gt;/response/&lt;id&gt;`), drops broker redeliveries of a
/// request already taken, and queues it or answers at once with an error (bad_request, too_large, busy,
/// model_unavailable, cancelled, duplicate_id).
/// Never throws: bad input costs its sender an error message, not the service.
/// </summary>
internal sealed partial class RequestIntake
{
    private readonly ApplianceTopics _topics;
    private readonly string? _poolRequest;
    private readonly RequestParser _parser;
    private readonly ReplyTopicPolicy _replyTopics;
    private readonly ReplyTopicRateLimiter _rate;
    private readonly RequestLimits _limits;
    private readonly RequestQueue<PendingRequest> _queue;
    private readonly RecentRequestIds _recent;
    private readonly EngineSlot _engines;
    private readonly RequestWorker _worker;
    private readonly ResponsePublisher _publisher;
    private readonly ApplianceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _bootTag = Random.Shared.Next(0x10000, 0xFFFFF).ToString("x", CultureInfo.InvariantCulture);
    private long _assigned;
    private volatile string? _stoppingReason;

    public RequestIntake(
        ApplianceTopics topics,
        RequestParser parser,
        ReplyTopicPolicy replyTopics,
        RequestLimits limits,
        TimeProvider time,
        RequestQueue<PendingRequest> queue,
        RecentRequestIds recent,
        EngineSlot engines,
        RequestWorker worker,
        ResponsePublisher publisher,
        ApplianceMetrics metrics,
        ILogger logger,
        string? poolRequest = null)
    {
        _topics = topics;
        _poolRequest = poolRequest;
        _parser = parser;
        _replyTopics = replyTopics;
        _limits = limits;
        _rate = new ReplyTopicRateLimiter(limits.RatePerReplyTopic, limits.BurstPerReplyTopic, time);
        _queue = queue;
        _recent = recent;
        _engines = engines;
        _worker = worker;
        _publisher = publisher;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>From now on every new request is answered `cancelled` with <paramref name="reason"/>.</summary>
    public void StopAccepting(string reason) => _stoppingReason = reason;

    public void Handle(MqttMessage message)
    {
        try
        {
            if (message.Retain)
            {
                // Delivered because it was retained, i.e. sent before this subscription: a stale request, or one
                // that would be asked again after every reconnect. Requests must be sent live.
                LogRetainedIgnored(_logger, message.Topic);
            }
            else if (message.Topic == _topics.Request || message.Topic == _poolRequest)
            {
                HandleRequest(message);
            }
            else if (message.Topic == _topics.Cancel)
            {
                HandleCancel(message);
            }
            else if (message.Topic == _topics.Ask)
            {
                HandleAsk(message);
            }
        }
        catch (Exception error)
        {
            // Parsing is written not to throw; this guards the intake loop against whatever was missed.
            LogIntakeFailed(_logger, message.Topic, error);
        }
    }

    /// <summary>Queues a plain prompt (the panel, the ask topic) whose answer goes to `&lt;base&gt;/answer`.</summary>
    public bool SubmitPrompt(string prompt, string source)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return false;
        }

        var id = NextId(source);
        return Accept(_parser.PlainPrompt(prompt.Trim()), id, idGiven: false, AnswerTarget(), source);
    }

    /// <summary>Takes every queued request out and answers it with <paramref name="code"/>.</summary>
    public void FailQueued(string code, string reason)
    {
        foreach (var pending in _queue.DrainAll())
        {
            Refuse(pending.Target, pending.Id, code, reason);
            pending.Dispose();
        }
    }

    private void HandleRequest(MqttMessage message)
    {
        var parsed = _parser.Parse(message.Payload.Span);
        var id = parsed.Id ?? NextId("req");
        var target = message.ResponseTopic is { } responseTopic
            ? new ReplyTarget(responseTopic, message.CorrelationData)
            : new ReplyTarget(parsed.ReplyTo ?? _topics.Response(id));
        if (_replyTopics.FindProblem(target.Topic) is { } refused)
        {
            // Not there: the refusal goes to the service's own reply topic for this id.
            Refuse(target with { Topic = _topics.Response(id) }, id, ErrorCodes.BadRequest, refused);
            return;
        }

        if (parsed.Request is not { } request)
        {
            Refuse(target, id, parsed.Error!.Code, parsed.Error.Message);
            return;
        }

        Accept(request, id, idGiven: parsed.Id is not null, target, "mqtt", redelivered: message.Dup);
    }

    private void HandleAsk(MqttMessage message)
    {
        var parsed = _parser.ParsePlainPrompt(message.Payload.Span);
        var id = NextId("ask");
        if (parsed.Request is not { } request)
        {
            Refuse(AnswerTarget(), id, parsed.Error!.Code, parsed.Error.Message);
            return;
        }

        Accept(request, id, idGiven: false, AnswerTarget(), "ask");
    }

    private void HandleCancel(MqttMessage message)
    {
        if (!_parser.TryParseCancel(message.Payload.Span, out var id, out var problem))
        {
            LogBadCancel(_logger, problem);
            return;
        }

        const string Reason = "cancelled by a cancel message";
        if (_worker.Current is { } running && running.Id == id)
        {
            running.Cancel(Reason);
            return;
        }

        if (_queue.Remove(pending => pending.Id == id) is { } queued)
        {
            Refuse(queued.Target, queued.Id, ErrorCodes.Cancelled, Reason);
            queued.Dispose();
            return;
        }

        LogNothingToCancel(_logger, id);
    }

    /// <param name="redelivered">The broker sent the message again (DUP): a copy of one already taken is dropped without a reply.</param>
    private bool Accept(ApplianceRequest request, string id, bool idGiven, ReplyTarget target, string source, bool redelivered = false)
    {
        // Same id, reply topic and correlation data as a request already taken (queued, running or recently answered).
        var key = idGiven ? RequestKey(id, target) : null;
        if (key is not null && _recent.Contains(key))
        {
            if (redelivered)
            {
                LogRedelivery(_logger, id, target.Topic);
                return false;
            }

            // A new message reusing the id: answered, so a client cannot silently squat ids on another's reply topic.
            Refuse(target, id, ErrorCodes.DuplicateId, $"id '{id}' was already taken for a request replying to {target.Topic}; give every request its own id");
            return false;
        }

        if (_stoppingReason is { } stopping)
        {
            Refuse(target, id, ErrorCodes.Cancelled, stopping);
            return false;
        }

        if (!_engines.TryGet(out _, out var unavailable))
        {
            Refuse(target, id, ErrorCodes.ModelUnavailable, unavailable);
            return false;
        }

        // Fairness: one reply topic (one client, as far as MQTT tells) gets a share of the intake and of the queue.
        var client = ClientKey(target);
        if (!_rate.TryTake(client))
        {
            Refuse(target, id, ErrorCodes.Busy, $"requests for {client} arrive faster than Requests:RatePerReplyTopic ({_limits.RatePerReplyTopic}/s, bursts of {_limits.BurstPerReplyTopic}); try again later");
            return false;
        }

        var share = Math.Min(_limits.QueueDepthPerReplyTopic, _queue.Capacity);
        if (_queue.CountWhere(waiting => ClientKey(waiting.Target) == client) >= share)
        {
            Refuse(target, id, ErrorCodes.Busy, $"{share} requests for {client} are already waiting (Requests:QueueDepthPerReplyTopic); try again later");
            return false;
        }

        var pending = new PendingRequest(id, request, target, source);
        if (!_queue.TryEnqueue(pending))
        {
            pending.Dispose();
            Refuse(target, id, ErrorCodes.Busy, $"{_queue.Capacity} requests are already waiting (Requests:QueueDepth); try again later");
            return false;
        }

        if (key is not null)
        {
            _recent.Add(key);
        }

        return true;
    }

    private void Refuse(ReplyTarget target, string id, string code, string message)
    {
        _metrics.Error(code);
        _metrics.RequestFinished(code);
        LogRefused(_logger, id, code, message);
        _ = _publisher.PublishError(target, id, code, message);
    }

    /// <summary>Whom a request counts against: its reply topic; every request on the default `&lt;base&gt;/response/&lt;id&gt;` topics counts as one client.</summary>
    private string ClientKey(ReplyTarget target) =>
        target.Topic.StartsWith(_topics.Response(""), StringComparison.Ordinal) ? _topics.Response("+") : target.Topic;

    private static string RequestKey(string id, ReplyTarget target) =>
        target.CorrelationData is { } correlation ? $"{target.Topic}\n{id}\n{Convert.ToHexString(correlation.Span)}" : $"{target.Topic}\n{id}";

    private ReplyTarget AnswerTarget() => new(_topics.Answer, Retain: true);

    private string NextId(string source) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}-{_bootTag}-{Interlocked.Increment(ref _assigned)}");

    [LoggerMessage(Level = LogLevel.Error, Message = "a message on {Topic} could not be handled")]
    private static partial void LogIntakeFailed(ILogger logger, string topic, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored a retained message on {Topic}: requests must not be retained")]
    private static partial void LogRetainedIgnored(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id}: {Code}: {Message}")]
    private static partial void LogRefused(ILogger logger, string id, string code, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id} to {Topic} was redelivered by the broker after it was taken; the copy is ignored")]
    private static partial void LogRedelivery(ILogger logger, string id, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored a cancel message: {Problem}")]
    private static partial void LogBadCancel(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "cancel {Id}: no such request is queued or running")]
    private static partial void LogNothingToCancel(ILogger logger, string id);
}
