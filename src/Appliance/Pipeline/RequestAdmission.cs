using Appliance.Contract;
using Appliance.Telemetry.Metrics;
using Microsoft.Extensions.Logging;
using System.Globalization;

namespace Appliance.Pipeline;

/// <summary>
/// The one gate every front door's requests pass: refuses while stopping (cancelled), without a model
/// (model_unavailable), for a client over its rate or queue share and when the queue is full (busy); otherwise
/// queues. Refusals and cancellations are answered through the request's own <see cref="IReplySink"/> and counted
/// alike whichever door the request came through.
/// </summary>
internal sealed partial class RequestAdmission
{
    private readonly RequestLimits _limits;
    private readonly ClientRateLimiter _rate;
    private readonly RequestQueue<PendingRequest> _queue;
    private readonly EngineSlot _engines;
    private readonly RequestWorker _worker;
    private readonly ApplianceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _bootTag = Random.Shared.Next(0x10000, 0xFFFFF).ToString("x", CultureInfo.InvariantCulture);
    private long _assigned;
    private volatile string? _stoppingReason;

    public RequestAdmission(
        RequestLimits limits,
        TimeProvider time,
        RequestQueue<PendingRequest> queue,
        EngineSlot engines,
        RequestWorker worker,
        ApplianceMetrics metrics,
        ILogger logger)
    {
        _limits = limits;
        _rate = new ClientRateLimiter(limits.RatePerReplyTopic, limits.BurstPerReplyTopic, time);
        _queue = queue;
        _engines = engines;
        _worker = worker;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>From now on every new request is answered `cancelled` with <paramref name="reason"/>.</summary>
    public void StopAccepting(string reason) => _stoppingReason = reason;

    /// <summary>A new id for a request its client gave none, unique in this run: `&lt;source&gt;-&lt;boot tag&gt;-&lt;n&gt;`.</summary>
    public string NextId(string source) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}-{_bootTag}-{Interlocked.Increment(ref _assigned)}");

    /// <summary>Queues the request, or answers it with the reason it was refused; null when refused.</summary>
    public PendingRequest? Admit(ApplianceRequest request, string id, IReplySink replies, string source)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(replies);
        if (_stoppingReason is { } stopping)
        {
            Refuse(replies, id, ErrorCodes.Cancelled, stopping);
            return null;
        }

        if (!_engines.TryGet(out _, out var unavailable))
        {
            Refuse(replies, id, ErrorCodes.ModelUnavailable, unavailable);
            return null;
        }

        var client = replies.ClientKey;
        if (!_rate.TryTake(client))
        {
            Refuse(replies, id, ErrorCodes.Busy, $"requests for {client} arrive faster than Requests:RatePerReplyTopic ({_limits.RatePerReplyTopic}/s, bursts of {_limits.BurstPerReplyTopic}); try again later");
            return null;
        }

        var share = Math.Min(_limits.QueueDepthPerReplyTopic, _queue.Capacity);
        if (_queue.CountWhere(waiting => waiting.Replies.ClientKey == client) >= share)
        {
            Refuse(replies, id, ErrorCodes.Busy, $"{share} requests for {client} are already waiting (Requests:QueueDepthPerReplyTopic); try again later");
            return null;
        }

        var pending = new PendingRequest(id, request, replies, source);
        if (!_queue.TryEnqueue(pending))
        {
            pending.Dispose();
            Refuse(replies, id, ErrorCodes.Busy, $"{_queue.Capacity} requests are already waiting (Requests:QueueDepth); try again later");
            return null;
        }

        return pending;
    }

    /// <summary>Answers a request that is not admitted (or not even parsed) with an error, counted like every other.</summary>
    public void Refuse(IReplySink replies, string id, string code, string message)
    {
        ArgumentNullException.ThrowIfNull(replies);
        _metrics.Error(code);
        _metrics.RequestFinished(code);
        LogRefused(_logger, id, code, message);
        _ = replies.SendErrorAsync(id, code, message);
    }

    /// <summary>Cancels the request with <paramref name="id"/>, running or queued; false when there is none.</summary>
    public bool Cancel(string id, string reason) => Cancel(pending => pending.Id == id, reason);

    /// <summary>Cancels <paramref name="request"/> (its client went away): stops its generation or takes it out of the queue.</summary>
    public bool Cancel(PendingRequest request, string reason) => Cancel(pending => ReferenceEquals(pending, request), reason);

    /// <summary>Takes every queued request out and answers it with <paramref name="code"/>.</summary>
    public void FailQueued(string code, string reason)
    {
        foreach (var pending in _queue.DrainAll())
        {
            Refuse(pending.Replies, pending.Id, code, reason);
            pending.Dispose();
        }
    }

    private bool Cancel(Func<PendingRequest, bool> match, string reason)
    {
        if (_worker.Current is { } running && match(running))
        {
            running.Cancel(reason);
            return true;
        }

        if (_queue.Remove(match) is { } queued)
        {
            Refuse(queued.Replies, queued.Id, ErrorCodes.Cancelled, reason);
            queued.Dispose();
            return true;
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id}: {Code}: {Message}")]
    private static partial void LogRefused(ILogger logger, string id, string code, string message);
}
