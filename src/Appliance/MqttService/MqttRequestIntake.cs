using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.Pipeline;
using Microsoft.Extensions.Logging;

namespace Appliance.MqttService;

/// <summary>
/// Takes what arrives on the request, cancel and ask topics (and the pool's request topic, answered alike): parses it,
/// decides where its replies go (MQTT 5 response topic + correlation data, else reply_to, else
/// `&lt;base&gt;/response/&lt;id&gt;`), drops broker redeliveries of a request already taken, refuses an id reused on the
/// same reply topic (duplicate_id), and hands the rest to the <see cref="RequestAdmission"/> every door shares.
/// Never throws: bad input costs its sender an error message, not the service.
/// </summary>
internal sealed partial class MqttRequestIntake
{
    private readonly ApplianceTopics _topics;
    private readonly string? _poolRequest;
    private readonly RequestParser _parser;
    private readonly ReplyTopicPolicy _replyTopics;
    private readonly RecentRequestIds _recent = new();
    private readonly RequestAdmission _admission;
    private readonly ResponsePublisher _publisher;
    private readonly ILogger _logger;

    public MqttRequestIntake(
        ApplianceTopics topics,
        RequestParser parser,
        ReplyTopicPolicy replyTopics,
        RequestAdmission admission,
        ResponsePublisher publisher,
        ILogger logger,
        string? poolRequest = null)
    {
        _topics = topics;
        _poolRequest = poolRequest;
        _parser = parser;
        _replyTopics = replyTopics;
        _admission = admission;
        _publisher = publisher;
        _logger = logger;
    }

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

        return _admission.Admit(_parser.PlainPrompt(prompt.Trim()), _admission.NextId(source), Sink(AnswerTarget()), source) is not null;
    }

    private void HandleRequest(MqttMessage message)
    {
        var parsed = _parser.Parse(message.Payload.Span);
        var id = parsed.Id ?? _admission.NextId("req");
        var target = message.ResponseTopic is { } responseTopic
            ? new ReplyTarget(responseTopic, message.CorrelationData)
            : new ReplyTarget(parsed.ReplyTo ?? _topics.Response(id));
        if (_replyTopics.FindProblem(target.Topic) is { } refused)
        {
            // Not there: the refusal goes to the service's own reply topic for this id.
            _admission.Refuse(Sink(target with { Topic = _topics.Response(id) }), id, ErrorCodes.BadRequest, refused);
            return;
        }

        if (parsed.Request is not { } request)
        {
            _admission.Refuse(Sink(target), id, parsed.Error!.Code, parsed.Error.Message);
            return;
        }

        // Same id, reply topic and correlation data as a request already taken (queued, running or recently answered).
        var key = parsed.Id is null ? null : RequestKey(id, target);
        if (key is not null && _recent.Contains(key))
        {
            if (message.Dup)
            {
                LogRedelivery(_logger, id, target.Topic);
                return;
            }

            // A new message reusing the id: answered, so a client cannot silently squat ids on another's reply topic.
            _admission.Refuse(Sink(target), id, ErrorCodes.DuplicateId, $"id '{id}' was already taken for a request replying to {target.Topic}; give every request its own id");
            return;
        }

        if (_admission.Admit(request, id, Sink(target), "mqtt") is not null && key is not null)
        {
            _recent.Add(key);
        }
    }

    private void HandleAsk(MqttMessage message)
    {
        var parsed = _parser.ParsePlainPrompt(message.Payload.Span);
        var id = _admission.NextId("ask");
        if (parsed.Request is not { } request)
        {
            _admission.Refuse(Sink(AnswerTarget()), id, parsed.Error!.Code, parsed.Error.Message);
            return;
        }

        _admission.Admit(request, id, Sink(AnswerTarget()), "ask");
    }

    private void HandleCancel(MqttMessage message)
    {
        if (!_parser.TryParseCancel(message.Payload.Span, out var id, out var problem))
        {
            LogBadCancel(_logger, problem);
            return;
        }

        if (!_admission.Cancel(id, "cancelled by a cancel message"))
        {
            LogNothingToCancel(_logger, id);
        }
    }

    private MqttReplySink Sink(ReplyTarget target) => new(_publisher, target, ClientKey(target));

    /// <summary>Whom a request counts against: its reply topic; every request on the default `&lt;base&gt;/response/&lt;id&gt;` topics counts as one client.</summary>
    private string ClientKey(ReplyTarget target) =>
        target.Topic.StartsWith(_topics.Response(""), StringComparison.Ordinal) ? _topics.Response("+") : target.Topic;

    private static string RequestKey(string id, ReplyTarget target) =>
        target.CorrelationData is { } correlation ? $"{target.Topic}\n{id}\n{Convert.ToHexString(correlation.Span)}" : $"{target.Topic}\n{id}";

    private ReplyTarget AnswerTarget() => new(_topics.Answer, Retain: true);

    [LoggerMessage(Level = LogLevel.Error, Message = "a message on {Topic} could not be handled")]
    private static partial void LogIntakeFailed(ILogger logger, string topic, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored a retained message on {Topic}: requests must not be retained")]
    private static partial void LogRetainedIgnored(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id} to {Topic} was redelivered by the broker after it was taken; the copy is ignored")]
    private static partial void LogRedelivery(ILogger logger, string id, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignored a cancel message: {Problem}")]
    private static partial void LogBadCancel(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "cancel {Id}: no such request is queued or running")]
    private static partial void LogNothingToCancel(ILogger logger, string id);
}
