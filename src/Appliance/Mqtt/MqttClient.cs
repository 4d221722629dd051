using System.Text;
using System.Threading.Channels;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// An MQTT 5 client with fallback to 3.1.1. After <see cref="ConnectAsync"/> succeeds it keeps the connection alive
/// and, when it is lost, reconnects with backoff, restores subscriptions and resends unacknowledged QoS 1 messages.
/// Incoming messages arrive on <see cref="Messages"/>. A broker that breaks the protocol gets a DISCONNECT with the
/// reason code and a fresh connection; nothing it sends can take the process down.
/// </summary>
public sealed class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly MqttReconnectBackoff _backoff;
    private readonly MqttConnector _connector;
    private readonly MqttOutbox _outbox;
    private readonly MqttInbox _inbox = new();
    private readonly MqttSubscriptions _subscriptions;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Lock _lock = new();

    private bool _running;
    private bool _disposed;
    private ActiveConnection? _current;
    private TaskCompletionSource<ActiveConnection> _connectedSignal = NewConnectedSignal();
    private CancellationTokenSource? _lifetime;
    private Task? _supervisor;
    private MqttProtocolVersion? _agreedVersion;
    private string _clientId;

    /// <param name="options">Validated here; read again at every connect.</param>
    /// <param name="timeProvider">The clock for keep-alive and reconnect delays (tests inject their own).</param>
    /// <param name="random">The jitter source for reconnect delays (tests inject a seeded one).</param>
    public MqttClient(MqttClientOptions options, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _backoff = new MqttReconnectBackoff(options.Reconnect, random ?? Random.Shared);
        _connector = new MqttConnector(options, _time);
        var identifiers = new MqttPacketIdentifiers();
        _outbox = new MqttOutbox(identifiers);
        _subscriptions = new MqttSubscriptions(identifiers);
        _clientId = options.ClientId;
    }

    public event EventHandler<MqttConnectedEventArgs>? Connected;

    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>A reconnect attempt failed; the client keeps trying with growing delays.</summary>
    public event EventHandler<MqttReconnectFailedEventArgs>? ReconnectFailed;

    /// <summary>Every message the broker delivers, in arrival order, across reconnects; completed on dispose.</summary>
    public ChannelReader<MqttApplicationMessage> Messages => _inbox.Messages;

    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return _current is not null;
            }
        }
    }

    /// <summary>The current connection's agreed parameters, or null while disconnected.</summary>
    public MqttConnectionInfo? ConnectionInfo
    {
        get
        {
            lock (_lock)
            {
                return _current?.Info;
            }
        }
    }

    /// <summary>QoS 1 messages not yet acknowledged, including those waiting for a connection.</summary>
    public int PendingMessageCount => _outbox.Count;

    /// <summary>Connects (throwing <see cref="MqttClientException"/> if the broker cannot be reached or refuses) and stays connected until <see cref="DisconnectAsync"/>.</summary>
    public async Task<MqttConnectionInfo> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_running)
            {
                throw new InvalidOperationException("The MQTT client is already connected or reconnecting; call DisconnectAsync first.");
            }

            var lifetime = new CancellationTokenSource();
            ActiveConnection active;
            try
            {
                active = await EstablishAsync(isReconnect: false, cancellationToken, lifetime).ConfigureAwait(false);
            }
            catch
            {
                lifetime.Dispose();
                throw;
            }

            _supervisor = Task.Run(() => SuperviseAsync(active, lifetime.Token), CancellationToken.None);
            return active.Info;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Publishes. QoS 0 is sent now (or fails if the connection is down); QoS 1 completes on PUBACK, waiting across
    /// reconnects, and fails with <see cref="MqttClientException"/> if the broker refuses it. Cancelling stops the
    /// wait, not the delivery. QoS 2 publishing is not supported.
    /// </summary>
    /// <returns><see cref="MqttReasonCode.Success"/> or <see cref="MqttReasonCode.NoMatchingSubscribers"/>.</returns>
    public async Task<MqttReasonCode> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (MqttTopic.FindTopicNameProblem(message.Topic) is { } problem)
        {
            throw new ArgumentException($"Cannot publish: {problem}.", nameof(message));
        }

        if (message.Qos > MqttQualityOfService.AtLeastOnce)
        {
            throw new NotSupportedException($"Publishing with QoS {(byte)message.Qos} is not supported; use AtMostOnce or AtLeastOnce.");
        }

        ActiveConnection? active;
        lock (_lock)
        {
            if (!_running)
            {
                throw new MqttClientException($"Not connected: the message to '{message.Topic}' was not sent; call ConnectAsync first.");
            }

            active = _current;
        }

        if (active is not null)
        {
            CheckBrokerLimits(message, active.Info);
        }

        if (message.Qos == MqttQualityOfService.AtLeastOnce)
        {
            return await _outbox.Enqueue(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (active is null)
        {
            throw new MqttClientException($"Not connected (reconnecting): the QoS 0 message to '{message.Topic}' was not sent.");
        }

        try
        {
            await active.Connection.SendAsync(message.ToPacket(0, dup: false, active.Connection.Version), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MqttClientException($"The connection was lost: the QoS 0 message to '{message.Topic}' was not sent.", innerException: e);
        }

        return MqttReasonCode.Success;
    }

    /// <summary>Subscribes to one filter (waiting for a connection if reconnecting); returns the granted QoS, or throws if the broker refuses.</summary>
    public async Task<MqttQualityOfService> SubscribeAsync(
        string topicFilter, MqttQualityOfService maximumQos = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default)
    {
        var codes = await SubscribeAsync([new MqttTopicSubscription(topicFilter, maximumQos)], cancellationToken).ConfigureAwait(false);
        return MqttReasonCodes.IsFailure(codes[0])
            ? throw new MqttClientException($"The broker refused the subscription to '{topicFilter}' with {MqttReasonCodes.Describe(codes[0])}.", codes[0])
            : (MqttQualityOfService)codes[0];
    }

    /// <summary>Subscribes; returns one reason code per subscription (granted QoS or failure). Granted ones are restored after reconnects.</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(
        IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("At least one subscription is needed.", nameof(subscriptions));
        }

        foreach (var subscription in subscriptions)
        {
            if (MqttTopic.FindTopicFilterProblem(subscription.TopicFilter) is { } problem)
            {
                throw new ArgumentException($"Cannot subscribe: {problem}.", nameof(subscriptions));
            }
        }

        var active = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await _subscriptions.SubscribeAsync(active.Connection, subscriptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes from one filter; throws if the broker refuses.</summary>
    public async Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        var codes = await UnsubscribeAsync([topicFilter], cancellationToken).ConfigureAwait(false);
        if (MqttReasonCodes.IsFailure(codes[0]))
        {
            throw new MqttClientException($"The broker refused to unsubscribe '{topicFilter}' with {MqttReasonCodes.Describe(codes[0])}.", codes[0]);
        }
    }

    public async Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0)
        {
            throw new ArgumentException("At least one topic filter is needed.", nameof(topicFilters));
        }

        foreach (var filter in topicFilters)
        {
            if (MqttTopic.FindTopicFilterProblem(filter) is { } problem)
            {
                throw new ArgumentException($"Cannot unsubscribe: {problem}.", nameof(topicFilters));
            }
        }

        var active = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await _subscriptions.UnsubscribeAsync(active.Connection, topicFilters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends DISCONNECT with <paramref name="reasonCode"/> (5.0; <see cref="MqttReasonCode.DisconnectWithWillMessage"/>
    /// asks the broker to publish the will) and stops reconnecting. Unacknowledged QoS 1 messages fail.
    /// </summary>
    public async Task DisconnectAsync(MqttReasonCode reasonCode = MqttReasonCode.Success, CancellationToken cancellationToken = default)
    {
        if (reasonCode is not (MqttReasonCode.Success or MqttReasonCode.DisconnectWithWillMessage) && !MqttReasonCodes.IsFailure(reasonCode))
        {
            throw new ArgumentException($"{MqttReasonCodes.Describe(reasonCode)} is not a DISCONNECT reason.", nameof(reasonCode));
        }

        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ActiveConnection? active;
            CancellationTokenSource lifetime;
            lock (_lock)
            {
                if (!_running)
                {
                    return;
                }

                active = _current;
                lifetime = _lifetime!;
            }

            if (active is not null)
            {
                await active.Connection.TrySendDisconnectAsync(reasonCode).ConfigureAwait(false);
                active.Connection.Close(new MqttConnectionLoss("The client disconnected.", reasonCode));
            }

            // Stops a reconnect in progress too; the supervisor closes whatever connection it holds and ends.
            lifetime.Cancel();
            await _supervisor!.ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await DisconnectAsync().ConfigureAwait(false);
        _disposed = true;
        _inbox.Complete();
        _outbox.FailAll("the client was disposed.");
    }

    /// <param name="lifetime">Given on the first connect: the client counts as running from the moment it is connected.</param>
    private async Task<ActiveConnection> EstablishAsync(bool isReconnect, CancellationToken cancellation, CancellationTokenSource? lifetime = null)
    {
        var version = _agreedVersion ?? _options.ProtocolVersion;

        // Reconnects resume the 5.0 session; 3.1.1 has no expiry, so there Clean Session stays as configured.
        var cleanStart = isReconnect && version == MqttProtocolVersion.V500 ? false : _options.CleanStart;
        var handshake = await _connector.ConnectAsync(version, _clientId, cleanStart, cancellation).ConfigureAwait(false);
        var connection = handshake.Connection;
        var info = MqttConnectionInfo.From(handshake.Ack, handshake.Version, _options, _clientId);
        _agreedVersion = handshake.Version;
        _clientId = info.ClientId;
        if (!info.SessionPresent)
        {
            _inbox.ResetSession();
        }

        var keepAlive = new MqttKeepAlive(connection, TimeSpan.FromSeconds(info.KeepAliveSeconds), _time);
        var receive = Task.Run(() => ReceiveAsync(connection, keepAlive), CancellationToken.None);
        var keepAliveTask = Task.Run(keepAlive.RunAsync, CancellationToken.None);
        IReadOnlyList<string> refused = [];
        try
        {
            if (!info.SessionPresent)
            {
                refused = await _subscriptions.RestoreAsync(connection, cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            connection.Close(new MqttConnectionLoss($"Restoring subscriptions failed: {e.Message}", Exception: e));
            await Task.WhenAll(receive, keepAliveTask).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Started after the SUBSCRIBE is written, so a message resent to our own topics finds the subscription in place.
        var pump = Task.Run(() => PumpAsync(connection, info), CancellationToken.None);
        var active = new ActiveConnection(connection, info, [receive, keepAliveTask, pump]);
        lock (_lock)
        {
            if (lifetime is not null)
            {
                _lifetime = lifetime;
                _running = true;
            }

            _current = active;
            _connectedSignal.TrySetResult(active);
        }

        Raise(Connected, new MqttConnectedEventArgs(info, isReconnect, refused));
        return active;
    }

    private async Task SuperviseAsync(ActiveConnection active, CancellationToken lifetime)
    {
        while (true)
        {
            MqttConnectionLoss loss;
            using (lifetime.Register(CloseOnStop, active.Connection))
            {
                loss = await active.Connection.Closed.ConfigureAwait(false);
            }

            await TearDownAsync(active).ConfigureAwait(false);
            var reconnect = _options.Reconnect.Enabled && !lifetime.IsCancellationRequested;
            if (!reconnect)
            {
                Stop(loss.Reason);
            }

            Raise(Disconnected, new MqttDisconnectedEventArgs(loss, reconnect));
            if (!reconnect)
            {
                return;
            }

            var next = await ReconnectAsync(lifetime).ConfigureAwait(false);
            if (next is null)
            {
                Stop("the client disconnected while reconnecting.");
                return;
            }

            active = next;
        }
    }

    private static void CloseOnStop(object? connection) =>
        ((MqttConnection)connection!).Close(new MqttConnectionLoss("The client disconnected."));

    private async Task<ActiveConnection?> ReconnectAsync(CancellationToken lifetime)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Task.Delay(_backoff.GetDelay(attempt), _time, lifetime).ConfigureAwait(false);
                return await EstablishAsync(isReconnect: true, lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e)
            {
                // Whatever stopped this attempt (refusal, network, TLS, a broken CONNACK), report it and try again later.
                Raise(ReconnectFailed, new MqttReconnectFailedEventArgs(attempt, e));
            }
        }
    }

    private async Task TearDownAsync(ActiveConnection active)
    {
        lock (_lock)
        {
            if (_current == active)
            {
                _current = null;
                _connectedSignal = NewConnectedSignal();
            }
        }

        await Task.WhenAll(active.Tasks).ConfigureAwait(false);
        await active.Connection.DisposeAsync().ConfigureAwait(false);
    }

    private void Stop(string reason)
    {
        TaskCompletionSource<ActiveConnection> signal;
        lock (_lock)
        {
            // Not disposed: DisconnectAsync may still be about to cancel it (cancelling a stopped client is harmless).
            _running = false;
            _lifetime = null;
            signal = _connectedSignal;
            _connectedSignal = NewConnectedSignal();
        }

        signal.TrySetException(new MqttClientException($"The MQTT client stopped: {reason}"));
        _outbox.FailAll(reason);
    }

    private async Task ReceiveAsync(MqttConnection connection, MqttKeepAlive keepAlive)
    {
        MqttConnectionLoss loss;
        try
        {
            while (true)
            {
                var packet = await connection.ReceiveAsync().ConfigureAwait(false);
                if (packet is null)
                {
                    loss = new MqttConnectionLoss("The broker closed the connection.");
                    break;
                }

                if (packet is DisconnectPacket disconnect)
                {
                    var reason = disconnect.Properties.ReasonString is { } text ? $": {text}" : "";
                    loss = new MqttConnectionLoss(
                        $"The broker sent DISCONNECT with {MqttReasonCodes.Describe(disconnect.ReasonCode)}{reason}.", disconnect.ReasonCode);
                    break;
                }

                await DispatchAsync(connection, keepAlive, packet).ConfigureAwait(false);
            }
        }
        catch (MqttProtocolException e)
        {
            await connection.TrySendDisconnectAsync(e.ReasonCode, e.Message).ConfigureAwait(false);
            loss = new MqttConnectionLoss($"The broker sent an invalid packet: {e.Message}", e.ReasonCode, e);
        }
        catch (OperationCanceledException) when (connection.Closing.IsCancellationRequested)
        {
            loss = new MqttConnectionLoss("The connection was closed.");
        }
        catch (Exception e)
        {
            // Whatever broke, this connection is over; the supervisor reconnects. Nothing escapes to crash the process.
            loss = new MqttConnectionLoss($"The connection failed: {e.Message}", Exception: e);
        }

        connection.Close(loss);
    }

    private async Task DispatchAsync(MqttConnection connection, MqttKeepAlive keepAlive, MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                await _inbox.ReceivePublishAsync(publish, connection).ConfigureAwait(false);
                break;
            case PubAckPacket ack:
                _outbox.Acknowledge(ack);
                break;
            case PubRelPacket release:
                await _inbox.ReceiveReleaseAsync(release, connection).ConfigureAwait(false);
                break;
            case SubAckPacket subAck:
                _subscriptions.Complete(subAck.PacketId, subAck, subAck.ReasonCodes);
                break;
            case UnsubAckPacket unsubAck:
                _subscriptions.Complete(unsubAck.PacketId, unsubAck, unsubAck.ReasonCodes);
                break;
            case PingRespPacket:
                keepAlive.PingResponseReceived();
                break;
            default:
                // CONNECT, CONNACK (again), SUBSCRIBE, UNSUBSCRIBE, PINGREQ, and PUBREC/PUBCOMP for QoS 2 this client never sends.
                throw new MqttProtocolException(MqttReasonCode.ProtocolError, $"The broker sent {packet.Type}, which is not valid here.");
        }
    }

    private async Task PumpAsync(MqttConnection connection, MqttConnectionInfo info)
    {
        try
        {
            await _outbox.PumpAsync(connection, info.ReceiveMaximum, info.SessionPresent).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.Closing.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            connection.Close(new MqttConnectionLoss($"Sending a QoS 1 message failed: {e.Message}", Exception: e));
        }
    }

    private async Task<ActiveConnection> WaitForConnectionAsync(CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Task<ActiveConnection> signal;
        lock (_lock)
        {
            if (!_running)
            {
                throw new MqttClientException("Not connected: call ConnectAsync first.");
            }

            signal = _connectedSignal.Task;
        }

        return await signal.WaitAsync(cancellation).ConfigureAwait(false);
    }

    private static void CheckBrokerLimits(MqttApplicationMessage message, MqttConnectionInfo info)
    {
        if (message.Qos > info.MaximumQos)
        {
            throw new MqttClientException(
                $"The broker accepts at most QoS {(byte)info.MaximumQos}; the message to '{message.Topic}' asks for {(byte)message.Qos}.",
                MqttReasonCode.QoSNotSupported);
        }

        if (message.Retain && !info.RetainAvailable)
        {
            throw new MqttClientException($"The broker does not support retained messages; '{message.Topic}' was not sent.", MqttReasonCode.RetainNotSupported);
        }

        // A lower bound of the encoded size: enough to refuse what the broker would answer with DISCONNECT 0x95.
        var minimumSize = 5L + 2 + Encoding.UTF8.GetByteCount(message.Topic) + message.Payload.Length;
        if (info.MaximumPacketSize is { } limit && minimumSize > limit)
        {
            throw new MqttClientException(
                $"The message to '{message.Topic}' needs at least {minimumSize} bytes; the broker accepts packets up to {limit}.",
                MqttReasonCode.PacketTooLarge);
        }
    }

    private void Raise<TArgs>(EventHandler<TArgs>? handler, TArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception)
        {
            // A faulty event handler must not stop the connection machinery that called it.
        }
    }

    private static TaskCompletionSource<ActiveConnection> NewConnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record ActiveConnection(MqttConnection Connection, MqttConnectionInfo Info, Task[] Tasks);
}
