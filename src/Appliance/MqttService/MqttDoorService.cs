using Appliance.Contract;
using Appliance.HomeAssistant;
using Appliance.Mqtt;
using Appliance.Pipeline;
using Appliance.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.MqttService;

/// <summary>
/// The appliance's MQTT door: keeps a connection to the broker (retained status, will = offline, Home Assistant
/// discovery), takes requests on `&lt;base&gt;/request`, `/cancel` and `/ask` (and the fleet pool's) into the shared
/// <see cref="RequestPipeline"/> and publishes their replies. The service counts as ready once its subscriptions are
/// granted. On stop (after the pipeline has answered every request it took) it answers what is still in its inbox,
/// waits for the broker to acknowledge the replies, publishes offline and disconnects. Bad input never stops it.
/// </summary>
public sealed partial class MqttDoorService : BackgroundService, IHostedLifecycleService, IApplianceControl, IApplianceMessenger
{
    // A connected broker acknowledges within milliseconds, so this bound only matters when something hangs.
    private static readonly TimeSpan PublishWaitLimit = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LoopWaitLimit = TimeSpan.FromMilliseconds(250);

    private readonly BrokerOptions _broker;
    private readonly ServiceStatusBoard _board;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ApplianceTopics _topics;
    private readonly RequestPipeline _pipeline;
    private readonly IBrokerConnection _client;
    private readonly ResponsePublisher _publisher;
    private readonly MqttRequestIntake _intake;
    private readonly StatusPublisher _status;
    private readonly PoolMembership? _pool;
    private readonly Action? _wakePool;
    private readonly ReadinessLog _readinessLog;
    private readonly CancellationTokenSource _lifetime = new();
    private Task[] _loops = [];
    private bool _everConnected;

    /// <param name="pipeline">The request path this door feeds (shared with the other doors).</param>
    /// <param name="broker">Validated once, with every other option, when the host loads them (<c>ApplianceOptions.Validate</c>).</param>
    /// <param name="discovery">Home Assistant discovery.</param>
    /// <param name="deviceId">The `&lt;device-id&gt;` of `appliance/&lt;device-id&gt;` (A-Z, a-z, 0-9, '_', '-').</param>
    /// <param name="board">Where the service's state is read from for the status topic.</param>
    /// <param name="logger">The door's log.</param>
    /// <param name="timeProvider">The clock for connect backoff and stop bounds.</param>
    /// <param name="panelButtons">Names of the panel's buttons, when a panel is configured: adds a Home Assistant event entity.</param>
    /// <param name="connection">Makes the broker connection from its options (default: a <see cref="BrokerConnection"/>); tests of the MQTT contract without a broker bring their own.</param>
    /// <param name="fleet">The pool this box also serves (<see cref="FleetOptions.Pool"/>), if any.</param>
    internal MqttDoorService(
        RequestPipeline pipeline,
        BrokerOptions broker,
        DiscoveryOptions discovery,
        string deviceId,
        ServiceStatusBoard board,
        ILogger<MqttDoorService> logger,
        TimeProvider timeProvider,
        IReadOnlyList<string>? panelButtons = null,
        Func<BrokerConnectionOptions, IBrokerConnection>? connection = null,
        FleetOptions? fleet = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        fleet ??= new FleetOptions();

        _pipeline = pipeline;
        _broker = broker;
        _board = board;
        _logger = logger;
        _time = timeProvider;
        _topics = new ApplianceTopics(deviceId);
        var limits = pipeline.Limits;
        var will = StatusPublisher.StatusMessage(_topics, new ServiceStatus(ServiceState.Offline, null, null));
        var clientOptions = BrokerClientOptions.Create(broker, deviceId, will, limits.MaxPayloadBytes);
        _client = connection?.Invoke(clientOptions) ?? new BrokerConnection(clientOptions, timeProvider);
        _publisher = new ResponsePublisher(_client, logger);
        var replyTopics = new ReplyTopicPolicy(_topics, discovery.Prefix, limits.AllowedReplyTopics);
        var pool = fleet.Pool.Length > 0 ? new PoolTopics(fleet.Pool, deviceId) : null;
        _intake = new MqttRequestIntake(_topics, new RequestParser(limits), replyTopics, pipeline.Admission, _publisher, logger, pool?.Request);
        if (pool is not null)
        {
            _pool = new PoolMembership(_client, pool, () => pipeline.QueueLength, pipeline.QueueCapacity, logger);
            _wakePool = () => _pool.Wake();
            pipeline.QueueChanged += _wakePool;
        }

        var homeAssistant = discovery.Enabled ? new HomeAssistantDiscovery(discovery, _topics, ApplianceVersion.Current) : null;
        _status = new StatusPublisher(_client, _topics, board, homeAssistant, panelButtons ?? [], logger);
        _readinessLog = new ReadinessLog(logger, _topics, broker.Url);

        // Whichever starts first, the service is not up before its subscriptions are granted.
        pipeline.Readiness.ExpectDoor($"connecting to the broker {broker.Url}");
    }

    public string BaseTopic => _topics.Base;

    public bool CancelCurrent(string reason) => _pipeline.CancelCurrent(reason);

    public bool SubmitPrompt(string prompt, string source) => _intake.SubmitPrompt(prompt, source);

    public Task ReloadModelAsync(CancellationToken cancellationToken) => _pipeline.ReloadModelAsync(cancellationToken);

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
        if (_pool is not null)
        {
            _pipeline.QueueChanged -= _wakePool;
            _pool.Dispose();
        }

        _lifetime.Dispose();
        base.Dispose();
    }

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// In the host's stopping round, before the pipeline stops (it is registered after it): leaves the fleet pool, so
    /// the broker gives this box's share of pool requests to the other boxes.
    /// </summary>
    async Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken)
    {
        if (_pool is not null)
        {
            await _pool.LeaveAsync(CancellationToken.None).EndsWithinAsync(PublishWaitLimit, _time).ConfigureAwait(false);
        }
    }

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _board.Changed += OnBoardChanged;
        _status.Wake();
        _client.Connected += OnConnected;
        _client.Disconnected += OnDisconnected;
        _client.ReconnectFailed += OnConnectFailed;
        try
        {
            if (await ConnectAsync(stoppingToken).ConfigureAwait(false))
            {
                _loops = [_status.RunAsync(_lifetime.Token), ReceiveAsync(_lifetime.Token), _pool?.RunAsync(_lifetime.Token) ?? Task.CompletedTask];
                if (await SubscribeAsync(stoppingToken).ConfigureAwait(false))
                {
                    _pipeline.Readiness.DoorOpen();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>After the pipeline has stopped: the last replies, the offline status, disconnecting.</summary>
    private async Task CloseAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).EndsWithinAsync(LoopWaitLimit, _time).ConfigureAwait(false);

        // What arrived after the receive loop ended (pool requests the broker sent before it took the unsubscribe) is
        // acknowledged already: answered `cancelled` here (the pipeline takes nothing now) instead of vanishing.
        while (_client.Messages.TryRead(out var late))
        {
            Dispatch(late);
        }

        // Final messages may use what the running request left of the grace: on a loaded box a burst of `cancelled`
        // replies needs more than the fixed wait, and the stop returns as soon as the broker has acknowledged them.
        var graceLeft = _pipeline.GraceLeft;
        await _publisher.WaitForDeliveriesAsync(graceLeft > PublishWaitLimit ? graceLeft : PublishWaitLimit, _time).ConfigureAwait(false);
        _pipeline.Readiness.Offline();
        string outcome;
        if (_client.IsConnected)
        {
            var offline = StatusPublisher.StatusMessage(_topics, _board.Current);
            var publishing = PublishQuietlyAsync(offline);
            outcome = await publishing.EndsWithinAsync(PublishWaitLimit, _time).ConfigureAwait(false) && await publishing.ConfigureAwait(false)
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
        LogStopped(_logger, outcome);
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
            _pipeline.Readiness.DoorClosed(ServiceState.Error, $"cannot subscribe to {_topics.Request}: {error.Message}");
            return false;
        }

        var granted = true;
        for (var i = 0; i < codes.Count; i++)
        {
            if (MqttReasonCodes.IsFailure(codes[i]))
            {
                var reason = MqttReasonCodes.Describe(codes[i]);
                LogSubscriptionRefused(_logger, subscriptions[i].TopicFilter, reason);
                _pipeline.Readiness.DoorClosed(ServiceState.Error, $"the broker refused the subscription to {subscriptions[i].TopicFilter}: {reason}");
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

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped: {Outcome}")]
    private static partial void LogStopped(ILogger logger, string outcome);
}
