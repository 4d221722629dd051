using Appliance.Contract;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Mqtt;
using Appliance.Pipeline;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.MqttService;

/// <summary>
/// The appliance's MQTT service: loads the model, keeps a connection to the broker (retained status, will = offline,
/// Home Assistant discovery), takes requests on `&lt;base&gt;/request`, `/cancel` and `/ask`, generates one at a time
/// and answers every accepted request with exactly one final message (done or an error). On stop it takes no new
/// requests, lets the running one finish for <see cref="ShutdownGrace"/> then cancels it, answers everything queued,
/// publishes offline and disconnects. Bad input never stops it.
/// </summary>
public sealed partial class ApplianceService : BackgroundService, IApplianceControl, IApplianceMessenger
{
    private const string StoppingReason = EngineLoading.StoppingReason;
    private const string ReloadingReason = "the model is being reloaded";

    // After the grace the host allows about half a second: a cancelled generation ends within milliseconds and a
    // connected broker acknowledges within milliseconds, so these bounds only matter when something hangs.
    private static readonly TimeSpan CancelWaitLimit = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PublishWaitLimit = TimeSpan.FromMilliseconds(250);

    private readonly BrokerOptions _broker;
    private readonly ServiceStatusBoard _board;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ApplianceTopics _topics;
    private readonly RequestQueue<PendingRequest> _queue;
    private readonly EngineSlot _engines = new();
    private readonly ServiceReadiness _readiness;
    private readonly EngineLoading _loading;
    private readonly IBrokerConnection _client;
    private readonly ResponsePublisher _publisher;
    private readonly RequestWorker _worker;
    private readonly RequestIntake _intake;
    private readonly StatusPublisher _status;
    private readonly PoolMembership? _pool;
    private readonly ReadinessLog _readinessLog;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private bool _everConnected;

    /// <param name="broker">Validated once, with every other option, when the host loads them (<c>ApplianceOptions.Validate</c>).</param>
    /// <param name="limits">Queue depth and per-request limits.</param>
    /// <param name="discovery">Home Assistant discovery.</param>
    /// <param name="engine">What <paramref name="loader"/> loads.</param>
    /// <param name="deviceId">The `&lt;device-id&gt;` of `appliance/&lt;device-id&gt;` (A-Z, a-z, 0-9, '_', '-').</param>
    /// <param name="loader">Loads the engine (the real one: <see cref="OnnxGenerationEngineLoader"/>).</param>
    /// <param name="board">Where the service's state is set.</param>
    /// <param name="liveness">Marked per generated token and when idle.</param>
    /// <param name="metrics">Request outcomes, tokens, timings, queue length, model load time.</param>
    /// <param name="logger">The service's log.</param>
    /// <param name="timeProvider">The clock for request timeouts and connect backoff.</param>
    /// <param name="panelButtons">Names of the panel's buttons, when a panel is configured: adds a Home Assistant event entity.</param>
    /// <param name="generation">Told of each generated token and each answer, for the panel's display.</param>
    /// <param name="fleet">The pool this box also serves (<see cref="FleetOptions.Pool"/>), if any.</param>
    /// <param name="connection">Makes the broker connection from its options (default: a <see cref="BrokerConnection"/>); tests of the MQTT contract without a broker bring their own.</param>
    public ApplianceService(
        BrokerOptions broker,
        RequestLimits limits,
        DiscoveryOptions discovery,
        EngineOptions engine,
        string deviceId,
        IGenerationEngineLoader loader,
        ServiceStatusBoard board,
        WorkerLiveness liveness,
        ApplianceMetrics metrics,
        ILogger<ApplianceService> logger,
        TimeProvider timeProvider,
        IReadOnlyList<string>? panelButtons = null,
        GenerationBoard? generation = null,
        Func<BrokerConnectionOptions, IBrokerConnection>? connection = null,
        FleetOptions? fleet = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(liveness);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        fleet ??= new FleetOptions();

        _broker = broker;
        _board = board;
        _logger = logger;
        _time = timeProvider;
        _topics = new ApplianceTopics(deviceId);
        _queue = new RequestQueue<PendingRequest>(limits.QueueDepth);
        _readiness = new ServiceReadiness(board);
        _loading = new EngineLoading(engine, loader, _engines, _readiness, metrics, timeProvider, logger);

        var will = StatusPublisher.StatusMessage(_topics, new ServiceStatus(ServiceState.Offline, null, null));
        var clientOptions = BrokerClientOptions.Create(broker, deviceId, will, limits.MaxPayloadBytes);
        _client = connection?.Invoke(clientOptions) ?? new BrokerConnection(clientOptions, timeProvider);
        _publisher = new ResponsePublisher(_client, logger);
        _worker = new RequestWorker(_queue, _engines, _publisher, limits, _readiness, liveness, metrics, timeProvider, logger, generation);
        var replyTopics = new ReplyTopicPolicy(_topics, discovery.Prefix, limits.AllowedReplyTopics);
        var pool = fleet.Pool.Length > 0 ? new PoolTopics(fleet.Pool, deviceId) : null;
        _intake = new RequestIntake(
            _topics, new RequestParser(limits), replyTopics, limits, timeProvider, _queue, new RecentRequestIds(), _engines, _worker, _publisher, metrics, logger, pool?.Request);
        if (pool is not null)
        {
            _pool = new PoolMembership(_client, pool, () => _queue.Count, _queue.Capacity, logger);
            _queue.Changed += () => _pool.Wake();
        }

        var homeAssistant = discovery.Enabled ? new HomeAssistantDiscovery(discovery, _topics, ApplianceVersion.Current) : null;
        _status = new StatusPublisher(_client, _topics, board, homeAssistant, panelButtons ?? [], logger);
        _readinessLog = new ReadinessLog(logger, _topics, broker.Url);
        metrics.ObserveQueueLength(() => _queue.Count);
    }

    public string BaseTopic => _topics.Base;

    /// <summary>How long a stop waits for the running request before cancelling it.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(1.5);

    public bool CancelCurrent(string reason) => _worker.CancelCurrent(reason);

    public bool SubmitPrompt(string prompt, string source) => _intake.SubmitPrompt(prompt, source);

    public async Task ReloadModelAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = _engines.Clear(ReloadingReason);
            _readiness.Loading(ReloadingReason);
            _intake.FailQueued(ErrorCodes.ModelUnavailable, ReloadingReason);
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

    public async ValueTask<bool> PublishAsync(string relativeTopic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttMessage { Topic = _topics.Of(relativeTopic), Payload = payload, Retain = retain };
        if (!_client.IsConnected)
        {
            return false;
        }

        try
        {
            await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BrokerConnectionException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _board.Changed -= OnBoardChanged;
        _queue.Dispose();
        _reloadGate.Dispose();
        _pool?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _board.Changed += OnBoardChanged;
        _client.Connected += OnConnected;
        _client.Disconnected += OnDisconnected;
        _client.ReconnectFailed += OnConnectFailed;
        _readiness.Loading($"loading the model from {_loading.ModelPath}");

        // The model loads while the broker connection is made; requests are taken once both are done.
        var loading = _loading.LoadAsync(stoppingToken);
        var loadingHandled = false;
        using var lifetime = new CancellationTokenSource();
        using var workerStop = new CancellationTokenSource();
        Task[] loops = [];
        var worker = Task.CompletedTask;
        try
        {
            if (await ConnectAsync(stoppingToken).ConfigureAwait(false))
            {
                loops = [_status.RunAsync(lifetime.Token), ReceiveAsync(lifetime.Token), _pool?.RunAsync(lifetime.Token) ?? Task.CompletedTask];
                worker = _worker.RunAsync(workerStop.Token);
                if (await SubscribeAsync(stoppingToken).ConfigureAwait(false))
                {
                    _loading.Install(await loading.WaitAsync(stoppingToken).ConfigureAwait(false));
                    loadingHandled = true;
                }

                await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        if (!loadingHandled)
        {
            // Never put to work (stopped first, or the broker refused the subscriptions). A load still hashing the
            // model must not hold up the stop: whatever it produces is disposed when it is done.
            _ = loading.ContinueWith(static load => load.Result.Engine?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        await StopAsync(loops, worker, lifetime, workerStop).ConfigureAwait(false);
    }

    private async Task StopAsync(Task[] loops, Task worker, CancellationTokenSource lifetime, CancellationTokenSource workerStop)
    {
        LogStopping(_logger);
        var stopStart = _time.GetTimestamp();
        _intake.StopAccepting(StoppingReason);
        if (_pool is not null)
        {
            await Within(_pool.LeaveAsync(CancellationToken.None), PublishWaitLimit).ConfigureAwait(false);
        }

        _worker.StopGenerating(StoppingReason);
        _intake.FailQueued(ErrorCodes.Cancelled, StoppingReason);
        var running = _worker.WhenCurrentDoneAsync();
        if (!await Within(running, ShutdownGrace).ConfigureAwait(false))
        {
            _worker.CancelCurrent(StoppingReason);
            await Within(running, CancelWaitLimit).ConfigureAwait(false);
        }

        await workerStop.CancelAsync().ConfigureAwait(false);
        await lifetime.CancelAsync().ConfigureAwait(false);
        await Within(Task.WhenAll([worker, .. loops]), CancelWaitLimit).ConfigureAwait(false);

        // What arrived after the receive loop ended (pool requests the broker sent before it took the unsubscribe) is
        // acknowledged already: answered `cancelled` here instead of vanishing with the process.
        while (_client.Messages.TryRead(out var late))
        {
            Dispatch(late);
        }

        // Final messages may use what the running request left of the grace: on a loaded box a burst of `cancelled`
        // replies needs more than the fixed wait, and the stop returns as soon as the broker has acknowledged them.
        var graceLeft = ShutdownGrace - _time.GetElapsedTime(stopStart);
        await _publisher.WaitForDeliveriesAsync(graceLeft > PublishWaitLimit ? graceLeft : PublishWaitLimit, _time).ConfigureAwait(false);
        _readiness.Offline();
        string outcome;
        if (_client.IsConnected)
        {
            var offline = StatusPublisher.StatusMessage(_topics, _board.Current);
            var publishing = PublishQuietlyAsync(offline);
            outcome = await Within(publishing, PublishWaitLimit).ConfigureAwait(false) && await publishing.ConfigureAwait(false)
                ? "offline status published, disconnected"
                : "the offline status was not acknowledged in time; disconnected";
        }
        else
        {
            outcome = _everConnected
                ? $"the broker {_broker.Url} was not connected, so nothing was published (its will reports offline)"
                : $"the broker {_broker.Url} was never reached, so nothing was published";
        }

        _client.Disconnected -= OnDisconnected;
        _client.ReconnectFailed -= OnConnectFailed;
        await _client.DisposeAsync().ConfigureAwait(false);
        _engines.Clear(StoppingReason)?.Dispose();
        LogStopped(_logger, outcome);
    }

    private async Task<bool> Within(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> PublishQuietlyAsync(MqttMessage message)
    {
        try
        {
            await _client.PublishAsync(message).ConfigureAwait(false);
            return true;
        }
        catch (BrokerConnectionException error)
        {
            LogNotPublished(_logger, message.Topic, error.Message);
            return false;
        }
    }

    /// <summary>Connects, retrying with backoff until the broker answers (the connection's one retry loop); false when stopped first.</summary>
    private async Task<bool> ConnectAsync(CancellationToken stop)
    {
        try
        {
            var info = await _client.ConnectWithRetryAsync(stop).ConfigureAwait(false);
            _everConnected = true;
            LogConnected(_logger, _broker.Url, info.ProtocolVersion == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", _topics.Base);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Subscribes to the request topics; false (and the error state) when the broker refuses.</summary>
    private async Task<bool> SubscribeAsync(CancellationToken stop)
    {
        MqttTopicSubscription[] subscriptions =
        [
            new(_topics.Request, MqttQualityOfService.AtLeastOnce),
            new(_topics.Cancel, MqttQualityOfService.AtLeastOnce),
            new(_topics.Ask, MqttQualityOfService.AtLeastOnce),
            .. _pool?.Subscriptions ?? [],
        ];
        IReadOnlyList<MqttReasonCode> codes;
        try
        {
            codes = await _client.SubscribeAsync(subscriptions, stop).ConfigureAwait(false);
        }
        catch (BrokerConnectionException error)
        {
            // The client resubscribes what it knows after a reconnect, but these were never granted: say so loudly.
            LogSubscriptionRefused(_logger, _topics.Request, error.Message);
            _readiness.Failed($"cannot subscribe to {_topics.Request}: {error.Message}");
            return false;
        }

        var granted = true;
        for (var i = 0; i < codes.Count; i++)
        {
            if (MqttReasonCodes.IsFailure(codes[i]))
            {
                var reason = MqttReasonCodes.Describe(codes[i]);
                LogSubscriptionRefused(_logger, subscriptions[i].TopicFilter, reason);
                _readiness.Failed($"the broker refused the subscription to {subscriptions[i].TopicFilter}: {reason}");
                granted = false;
            }
        }

        if (granted)
        {
            _pool?.Joined();
        }

        return granted;
    }

    private void Dispatch(MqttMessage message)
    {
        if (_pool?.Observe(message) != true)
        {
            _intake.Handle(message);
        }
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var message in _client.Messages.ReadAllAsync(stop).ConfigureAwait(false))
            {
                Dispatch(message);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void OnBoardChanged(object? sender, ServiceStatus status)
    {
        _readinessLog.Observe(status);
        _status.Wake();
    }

    private void OnConnected(object? sender, MqttConnectedEventArgs e)
    {
        if (e.IsReconnect)
        {
            LogReconnected(_logger, _broker.Url, e.RefusedSubscriptions.Count);

            // The will may have set the status offline, and a restarted broker forgot the retained messages.
            _status.Wake(withDiscovery: true);
            _pool?.Wake(republish: true);
        }
    }

    private void OnDisconnected(object? sender, MqttDisconnectedEventArgs e) => LogDisconnected(_logger, e.Loss.Reason, e.WillReconnect);

    // Unreachable, refused, TLS or a broken CONNACK, on the first connect or a reconnect: the connection tries again.
    private void OnConnectFailed(object? sender, MqttReconnectFailedEventArgs e) =>
        LogConnectFailed(_logger, _broker.Url, e.Exception.Message, e.NextDelay.TotalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "connected to {Url} (MQTT {Version}); topics under {BaseTopic}")]
    private static partial void LogConnected(ILogger logger, string url, string version, string baseTopic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot connect to {Url}: {Reason}; retrying in {Seconds:F1} s")]
    private static partial void LogConnectFailed(ILogger logger, string url, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "reconnected to {Url} ({Refused} subscriptions refused)")]
    private static partial void LogReconnected(ILogger logger, string url, int refused);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lost the broker: {Reason} (reconnecting: {WillReconnect})")]
    private static partial void LogDisconnected(ILogger logger, string reason, bool willReconnect);

    [LoggerMessage(Level = LogLevel.Error, Message = "the broker refused the subscription to {Topic}: {Reason}")]
    private static partial void LogSubscriptionRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not publish {Topic}: {Reason}")]
    private static partial void LogNotPublished(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: no new requests; finishing or cancelling the running one")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped: {Outcome}")]
    private static partial void LogStopped(ILogger logger, string outcome);
}
