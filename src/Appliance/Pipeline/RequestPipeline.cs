using Appliance.Contract;
using Appliance.Engine;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Microsoft.Extensions.Logging;

namespace Appliance.Pipeline;

/// <summary>
/// The one request path every front door shares: the model slot and its loading, the bounded queue, the
/// <see cref="RequestAdmission"/> gate and the <see cref="RequestWorker"/> that generates one request at a time. Doors
/// (MQTT, HTTP, the panel) only parse, admit and carry replies; limits, cancellation, timeouts and telemetry are the
/// same whichever door a request used.
/// </summary>
internal sealed partial class RequestPipeline : IDisposable
{
    public const string StoppingReason = EngineLoading.StoppingReason;
    private const string ReloadingReason = "the model is being reloaded";

    // A cancelled generation ends within milliseconds: this bound only matters when something hangs.
    private static readonly TimeSpan CancelWaitLimit = TimeSpan.FromMilliseconds(250);

    private readonly RequestQueue<PendingRequest> _queue;
    private readonly EngineSlot _engines = new();
    private readonly EngineLoading _loading;
    private readonly RequestWorker _worker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly Lock _installGate = new();
    private readonly CancellationTokenSource _workerStop = new();
    private Task _workerLoop = Task.CompletedTask;
    private long? _stopStarted;
    private Task? _stopping;

    public RequestPipeline(
        RequestLimits limits,
        EngineOptions engine,
        IGenerationEngineLoader loader,
        ServiceStatusBoard board,
        WorkerLiveness liveness,
        ApplianceMetrics metrics,
        TimeProvider time,
        ILogger logger,
        GenerationBoard? generation = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(liveness);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Limits = limits;
        _time = time;
        _logger = logger;
        _queue = new RequestQueue<PendingRequest>(limits.QueueDepth);
        Readiness = new ServiceReadiness(board);
        _loading = new EngineLoading(engine, loader, _engines, Readiness, metrics, time, logger);
        _worker = new RequestWorker(_queue, _engines, limits, Readiness, liveness, metrics, time, logger, generation);
        Admission = new RequestAdmission(limits, time, _queue, _engines, _worker, metrics, logger);
        metrics.ObserveQueueLength(() => _queue.Count);
    }

    public RequestLimits Limits { get; }

    public RequestAdmission Admission { get; }

    public ServiceReadiness Readiness { get; }

    /// <summary>How long a stop waits for the running request before cancelling it.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(1.5);

    public int QueueLength => _queue.Count;

    public int QueueCapacity => _queue.Capacity;

    /// <summary>Raised when a request enters or leaves the queue.</summary>
    public event Action? QueueChanged
    {
        add => _queue.Changed += value;
        remove => _queue.Changed -= value;
    }

    /// <summary>What is left of <see cref="ShutdownGrace"/> since the stop began (the whole grace before it): the doors' time to deliver the last replies.</summary>
    public TimeSpan GraceLeft => _stopStarted is { } started ? ShutdownGrace - _time.GetElapsedTime(started) : ShutdownGrace;

    /// <summary>The loaded engine, or why there is none.</summary>
    public bool TryGetEngine([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IGenerationEngine? engine, out string unavailable) =>
        _engines.TryGet(out engine, out unavailable);

    /// <summary>
    /// Starts the worker and loads the model; completes once the model is installed or failed, or at once when
    /// <paramref name="stop"/> comes first (a load still hashing the model must not hold up the stop: whatever it
    /// produces is disposed when it is done).
    /// </summary>
    public async Task StartAsync(CancellationToken stop)
    {
        _workerLoop = _worker.RunAsync(_workerStop.Token);
        Readiness.Loading($"loading the model from {_loading.ModelPath}");
        var loading = _loading.LoadAsync(stop);
        (IGenerationEngine? Engine, string? Error) loaded;
        try
        {
            loaded = await loading.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _ = loading.ContinueWith(static load => load.Result.Engine?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return;
        }

        lock (_installGate)
        {
            if (_stopStarted is null)
            {
                _loading.Install(loaded);
                return;
            }
        }

        loaded.Engine?.Dispose();
    }

    public bool CancelCurrent(string reason) => _worker.CancelCurrent(reason);

    /// <summary>Reloads the model from disk (after an install), failing queued requests with model_unavailable meanwhile.</summary>
    public async Task ReloadModelAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = _engines.Clear(ReloadingReason);
            Readiness.Loading(ReloadingReason);
            Admission.FailQueued(ErrorCodes.ModelUnavailable, ReloadingReason);
            _worker.CancelCurrent(ReloadingReason);
            await _worker.WhenCurrentDoneAsync().ConfigureAwait(false);
            old?.Dispose();
            _loading.Install(await _loading.LoadAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>
    /// Takes no new requests, answers every queued one `cancelled`, lets the running one finish for
    /// <see cref="ShutdownGrace"/> then cancels it, and stops the worker and the engine. Every request gets its reply.
    /// Once: a second call returns the first one's task.
    /// </summary>
    public Task StopAsync()
    {
        lock (_installGate)
        {
            if (_stopping is null)
            {
                _stopStarted = _time.GetTimestamp();
                _stopping = StopOnceAsync();
            }

            return _stopping;
        }
    }

    private async Task StopOnceAsync()
    {
        LogStopping(_logger);
        Admission.StopAccepting(StoppingReason);
        _worker.StopGenerating(StoppingReason);
        Admission.FailQueued(ErrorCodes.Cancelled, StoppingReason);
        var running = _worker.WhenCurrentDoneAsync();
        if (!await running.EndsWithinAsync(ShutdownGrace, _time).ConfigureAwait(false))
        {
            _worker.CancelCurrent(StoppingReason);
            await running.EndsWithinAsync(CancelWaitLimit, _time).ConfigureAwait(false);
        }

        await _workerStop.CancelAsync().ConfigureAwait(false);
        await _workerLoop.EndsWithinAsync(CancelWaitLimit, _time).ConfigureAwait(false);
        IGenerationEngine? last;
        lock (_installGate)
        {
            last = _engines.Clear(StoppingReason);
        }

        last?.Dispose();
    }

    public void Dispose()
    {
        _queue.Dispose();
        _reloadGate.Dispose();
        _workerStop.Dispose();
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: no new requests; finishing or cancelling the running one")]
    private static partial void LogStopping(ILogger logger);
}
