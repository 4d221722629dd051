using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Microsoft.Extensions.Logging;

namespace Appliance.Pipeline;

/// <summary>
/// The generation loop: takes queued requests one at a time, runs them on the engine with their wall-clock limit,
/// streams their deltas and sends exactly one final reply (done or an error) for each, through the request's own door. Nothing a request does
/// can stop the loop.
/// </summary>
internal sealed partial class RequestWorker
{
    private readonly RequestQueue<PendingRequest> _queue;
    private readonly EngineSlot _engines;
    private readonly RequestLimits _limits;
    private readonly ServiceReadiness _readiness;
    private readonly WorkerLiveness _liveness;
    private readonly ApplianceMetrics _metrics;
    private readonly GenerationBoard? _generation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private PendingRequest? _current;
    private volatile string? _stopReason;
    private Task _currentRun = Task.CompletedTask;

    public RequestWorker(
        RequestQueue<PendingRequest> queue,
        EngineSlot engines,
        RequestLimits limits,
        ServiceReadiness readiness,
        WorkerLiveness liveness,
        ApplianceMetrics metrics,
        TimeProvider time,
        ILogger logger,
        GenerationBoard? generation = null)
    {
        _generation = generation;
        _queue = queue;
        _engines = engines;
        _limits = limits;
        _readiness = readiness;
        _liveness = liveness;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>The request being generated, if any.</summary>
    public PendingRequest? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Runs requests until <paramref name="stop"/> is cancelled; the request running then is finished first.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (true)
        {
            _readiness.Busy(_queue.Count > 0);
            _liveness.MarkIdle();
            PendingRequest request;
            try
            {
                request = await _queue.DequeueAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            Task run;
            lock (_gate)
            {
                _current = request;
                if (_stopReason is { } reason)
                {
                    // Taken from the queue just as the service began to stop: answered, not generated.
                    request.Cancel(reason);
                }

                _readiness.Busy(true);
                _liveness.MarkProgress();
                run = _currentRun = RunOneAsync(request);
            }

            await run.ConfigureAwait(false);
            lock (_gate)
            {
                _current = null;
            }

            request.Dispose();
        }
    }

    /// <summary>Requests taken from the queue from now on are answered `cancelled` with <paramref name="reason"/>.</summary>
    public void StopGenerating(string reason) => _stopReason = reason;

    /// <summary>Cancels the running request (its client gets `cancelled` with <paramref name="reason"/>); false when none runs.</summary>
    public bool CancelCurrent(string reason) => Current?.Cancel(reason) ?? false;

    /// <summary>Completes when the request running now (if any) has had its final reply sent.</summary>
    public Task WhenCurrentDoneAsync()
    {
        lock (_gate)
        {
            return _currentRun;
        }
    }

    private async Task RunOneAsync(PendingRequest request)
    {
        try
        {
            await GenerateAsync(request).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // A bug in the reply path must cost one request, never the loop.
            LogFailed(_logger, request.Id, error);
            Answer(request, ErrorCodes.Internal, $"the reply failed: {error.Message}");
        }
    }

    private async Task GenerateAsync(PendingRequest request)
    {
        if (request.CancelReason is { } cancelled)
        {
            Answer(request, ErrorCodes.Cancelled, cancelled);
            return;
        }

        if (!_engines.TryGet(out var engine, out var unavailable))
        {
            Answer(request, ErrorCodes.ModelUnavailable, unavailable);
            return;
        }

        using var timeout = new CancellationTokenSource(_limits.Timeout, _time);
        var deltas = request.Request.Stream ? new DeltaStream(request) : null;
        ReplyDeltaCallback onDelta = delta =>
        {
            _liveness.MarkProgress();
            _generation?.TokenGenerated();
            if (!delta.IsEmpty)
            {
                deltas?.Add(delta);
            }
        };

        EngineReply reply;
        try
        {
            reply = await engine.GenerateAsync(request.Request.Engine, onDelta, request.CancellationToken, timeout.Token).ConfigureAwait(false);
        }
        catch (ContextLengthExceededException error)
        {
            Answer(request, ErrorCodes.TooLarge, PromptTooLargeText.Of(error));
            return;
        }
        catch (InvalidConversationException error)
        {
            Answer(request, ErrorCodes.BadRequest, error.Message);
            return;
        }
        catch (Exception error)
        {
            LogFailed(_logger, request.Id, error);
            Answer(request, ErrorCodes.Internal, $"generation failed: {error.Message}");
            return;
        }
        finally
        {
            if (deltas is not null)
            {
                await deltas.CompleteAsync().ConfigureAwait(false);
            }
        }

        _metrics.TokensCounted(reply.Usage.PromptTokens, reply.Usage.CompletionTokens);
        if (reply.Usage.CompletionTokens > 0)
        {
            _metrics.TimeToFirstToken(TimeSpan.FromMilliseconds(reply.Timings.TimeToFirstTokenMs));
        }

        if (reply.FinishReason == FinishReason.Cancelled)
        {
            Answer(request, ErrorCodes.Cancelled, request.CancelReason ?? "cancelled");
            return;
        }

        // A timeout is an answer too: the text so far.
        var finish = FinishReasonNames.Of(reply);
        if (reply.Timings.DecodeTokensPerSecond > 0)
        {
            _metrics.DecodeRate(reply.Timings.DecodeTokensPerSecond);
        }

        _metrics.RequestFinished("done");
        _generation?.Answered(reply.Text);
        LogAnswered(_logger, request.Id, reply.Usage.CompletionTokens, finish, reply.Timings.TotalMs);
        _ = request.Replies.SendFinalAsync(request.Id, reply, finish);
    }

    private void Answer(PendingRequest request, string code, string message)
    {
        _metrics.Error(code);
        _metrics.RequestFinished(code);
        LogRefused(_logger, request.Id, code, message);
        _ = request.Replies.SendErrorAsync(request.Id, code, message);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "request {Id} failed")]
    private static partial void LogFailed(ILogger logger, string id, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id}: {Tokens} tokens, finish {Finish}, {TotalMs:F0} ms")]
    private static partial void LogAnswered(ILogger logger, string id, int tokens, string finish, double totalMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Id}: {Code}: {Message}")]
    private static partial void LogRefused(ILogger logger, string id, string code, string message);
}
