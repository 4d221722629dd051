using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Exceptions;

namespace Appliance.Mqtt;

/// <summary>
/// A broker connection on MQTTnet's client (packets, properties, TLS, keep-alive), with what MQTTnet 5 leaves to its
/// users: reconnect with backoff and jitter, resubscribe when the broker lost the session, and QoS 1 messages kept
/// until the broker acknowledges them (sent again after a reconnect). Reconnects resume the 5.0 session (Clean Start 0).
/// Incoming messages are acknowledged as soon as they are queued on <see cref="Messages"/>: what the application
/// cannot use costs it a reply, never the connection.
/// </summary>
public sealed class BrokerConnection : IBrokerConnection
{
    private readonly BrokerConnectionOptions _options;
    private readonly TimeProvider _time;
    private readonly MqttReconnectBackoff _backoff;
    private readonly IMqttClient _client;
    private readonly Channel<MqttMessage> _inbox = Channel.CreateUnbounded<MqttMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly MqttOutbox _outbox = new();
    private readonly Dictionary<string, MqttTopicSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Lock _lock = new();

    private bool _running;
    private bool _disposed;

    // A broker that once accepted 5.0 speaks it: a later connection closed before CONNACK is a restart or a proxy,
    // never a reason to fall back to 3.1.1 (which would silently drop response topics and correlation data).
    private bool _accepted500;
    private Link? _current;

    // The connection being set up (subscriptions restored): a loss then must reach it, though it is not current yet.
    private Link? _connecting;
    private TaskCompletionSource<Link> _connectedSignal = NewConnectedSignal();
    private CancellationTokenSource? _lifetime;
    private Task? _supervisor;
    private MqttProtocolVersion? _agreedVersion;
    private string _clientId;

    /// <param name="options">Validated here; read again at every connect.</param>
    /// <param name="timeProvider">The clock for reconnect delays (tests inject their own).</param>
    /// <param name="random">The jitter source for reconnect delays (tests inject a seeded one).</param>
    public BrokerConnection(BrokerConnectionOptions options, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _backoff = new MqttReconnectBackoff(options.Reconnect, random ?? Random.Shared);
        _clientId = options.ClientId;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageReceived;
        _client.DisconnectedAsync += OnDisconnected;
    }

    public event EventHandler<MqttConnectedEventArgs>? Connected;

    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    public event EventHandler<MqttReconnectFailedEventArgs>? ReconnectFailed;

    public ChannelReader<MqttMessage> Messages => _inbox.Reader;

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

    /// <summary>One attempt: throws <see cref="BrokerConnectionException"/> if the broker cannot be reached or refuses; once connected, stays connected until <see cref="DisconnectAsync"/>.</summary>
    public Task<MqttConnectionInfo> ConnectAsync(CancellationToken cancellationToken = default) => StartAsync(retry: false, cancellationToken);

    public Task<MqttConnectionInfo> ConnectWithRetryAsync(CancellationToken cancellationToken) => StartAsync(retry: true, cancellationToken);

    /// <summary>
    /// QoS 0 is sent now (or fails if the connection is down); QoS 1 completes on PUBACK, waiting across reconnects,
    /// and fails with <see cref="BrokerConnectionException"/> if the broker refuses it. Cancelling stops the wait,
    /// not the delivery. QoS 2 publishing is not supported.
    /// </summary>
    /// <returns><see cref="MqttReasonCode.Success"/> or <see cref="MqttReasonCode.NoMatchingSubscribers"/>.</returns>
    public async Task<MqttReasonCode> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
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

        Link? link;
        lock (_lock)
        {
            if (!_running)
            {
                throw new BrokerConnectionException($"Not connected: the message to '{message.Topic}' was not sent; call ConnectAsync first.");
            }

            link = _current;
        }

        if (link is not null)
        {
            CheckBrokerLimits(message, link.Info);
        }

        if (message.Qos == MqttQualityOfService.AtLeastOnce)
        {
            return await _outbox.Enqueue(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (link is null)
        {
            throw new BrokerConnectionException($"Not connected (reconnecting): the QoS 0 message to '{message.Topic}' was not sent.");
        }

        try
        {
            await _client.PublishAsync(MqttnetTranslation.Outgoing(message, link.Info.ProtocolVersion), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
        {
            throw new BrokerConnectionException($"The connection was lost: the QoS 0 message to '{message.Topic}' was not sent.", innerException: e);
        }

        return MqttReasonCode.Success;
    }

    /// <summary>Subscribes to one filter (waiting for a connection if reconnecting); returns the granted QoS, or throws if the broker refuses.</summary>
    public async Task<MqttQualityOfService> SubscribeAsync(
        string topicFilter, MqttQualityOfService maximumQos = MqttQualityOfService.AtLeastOnce, CancellationToken cancellationToken = default)
    {
        var codes = await SubscribeAsync([new MqttTopicSubscription(topicFilter, maximumQos)], cancellationToken).ConfigureAwait(false);
        return MqttReasonCodes.IsFailure(codes[0])
            ? throw new BrokerConnectionException($"The broker refused the subscription to '{topicFilter}' with {MqttReasonCodes.Describe(codes[0])}.", codes[0])
            : (MqttQualityOfService)codes[0];
    }

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

        await WaitForLinkAsync(cancellationToken).ConfigureAwait(false);
        var codes = await SendSubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            for (var i = 0; i < codes.Count; i++)
            {
                if (!MqttReasonCodes.IsFailure(codes[i]))
                {
                    _subscriptions[subscriptions[i].TopicFilter] = subscriptions[i];
                }
            }
        }

        return codes;
    }

    /// <summary>Unsubscribes from one filter; throws if the broker refuses.</summary>
    public async Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        var codes = await UnsubscribeAsync([topicFilter], cancellationToken).ConfigureAwait(false);
        if (MqttReasonCodes.IsFailure(codes[0]))
        {
            throw new BrokerConnectionException($"The broker refused to unsubscribe '{topicFilter}' with {MqttReasonCodes.Describe(codes[0])}.", codes[0]);
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

        lock (_lock)
        {
            // Forgotten first: a reconnect in between must not bring the subscription back.
            foreach (var filter in topicFilters)
            {
                _subscriptions.Remove(filter);
            }
        }

        await WaitForLinkAsync(cancellationToken).ConfigureAwait(false);
        var options = new MqttClientUnsubscribeOptionsBuilder();
        foreach (var filter in topicFilters)
        {
            options.WithTopicFilter(filter);
        }

        var result = await Guard(c => _client.UnsubscribeAsync(options.Build(), c), "unsubscribe", cancellationToken).ConfigureAwait(false);
        return [.. result.Items.Select(item => (MqttReasonCode)(byte)item.ResultCode)];
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
            CancellationTokenSource lifetime;
            lock (_lock)
            {
                if (!_running)
                {
                    return;
                }

                lifetime = _lifetime!;
            }

            // Stops a reconnect in progress too; the supervisor sees the connection end and stops.
            await lifetime.CancelAsync().ConfigureAwait(false);
            if (_client.IsConnected)
            {
                try
                {
                    await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = (MqttClientDisconnectOptionsReason)(byte)reasonCode }, CancellationToken.None)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is MqttCommunicationException or ObjectDisposedException or OperationCanceledException)
                {
                    // Already gone: nothing to tell the broker.
                }
            }

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
        _inbox.Writer.TryComplete();
        _client.Dispose();
    }

    private async Task<MqttConnectionInfo> StartAsync(bool retry, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_running)
            {
                throw new InvalidOperationException("The broker connection is already connected or reconnecting; call DisconnectAsync first.");
            }

            var lifetime = new CancellationTokenSource();
            Link? link;
            try
            {
                link = retry
                    ? await RetryAsync(isReconnect: false, cancellationToken, lifetime).ConfigureAwait(false)
                    : await EstablishAsync(isReconnect: false, cancellationToken, lifetime).ConfigureAwait(false);
            }
            catch
            {
                lifetime.Dispose();
                throw;
            }

            if (link is null)
            {
                lifetime.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }

            _supervisor = Task.Run(() => SuperviseAsync(link, lifetime.Token), CancellationToken.None);
            return link.Info;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <param name="lifetime">Given on the first connect: the connection counts as running from the moment it is connected.</param>
    private async Task<Link> EstablishAsync(bool isReconnect, CancellationToken cancellation, CancellationTokenSource? lifetime = null)
    {
        var version = _agreedVersion ?? _options.ProtocolVersion;

        // Reconnects resume the 5.0 session; 3.1.1 has no expiry, so there Clean Session stays as configured.
        var cleanStart = isReconnect && version == MqttProtocolVersion.V500 ? false : _options.CleanStart;
        var (ack, agreed) = await HandshakeAsync(version, cleanStart, cancellation).ConfigureAwait(false);
        var info = MqttConnectionInfo.From(ack, agreed, _options, _clientId);
        var link = new Link(info);
        lock (_lock)
        {
            // Set before anything is sent, so a loss from here on is seen by OnDisconnected.
            _connecting = link;
        }

        _agreedVersion = agreed;
        _clientId = info.ClientId;
        IReadOnlyList<string> refused = [];
        try
        {
            if (!info.SessionPresent)
            {
                refused = await RestoreSubscriptionsAsync(cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _connecting = null;
            }

            await DropAsync().ConfigureAwait(false);
            throw new BrokerConnectionException($"Restoring subscriptions on {Broker} failed: {e.Message}", innerException: e);
        }

        lock (_lock)
        {
            _connecting = null;
            if (lifetime is not null)
            {
                _lifetime = lifetime;
                _running = true;
            }

            _current = link;
            _connectedSignal.TrySetResult(link);
        }

        // Started after the subscriptions are restored, so a message to our own topics finds them in place.
        _ = Task.Run(() => _outbox.PumpAsync((message, dup) => PublishOnceAsync(message, dup, info.ProtocolVersion), info.ReceiveMaximum, link.Closing), CancellationToken.None);
        if (!_client.IsConnected)
        {
            // Lost while subscribing: the supervisor takes it from here like any other loss.
            link.Lose(new MqttConnectionLoss("The connection was lost right after connecting."));
        }

        Raise(Connected, new MqttConnectedEventArgs(info, isReconnect, refused));
        return link;
    }

    private string Broker => $"MQTT broker {_options.Host}:{_options.Port}";

    /// <summary>CONNECT/CONNACK, falling back from 5.0 to 3.1.1 when allowed and the broker refuses 5.0.</summary>
    private async Task<(MqttClientConnectResult Ack, MqttProtocolVersion Version)> HandshakeAsync(
        MqttProtocolVersion version, bool cleanStart, CancellationToken cancellation)
    {
        try
        {
            var ack = await AttemptAsync(version, cleanStart, cancellation).ConfigureAwait(false);
            _accepted500 |= version == MqttProtocolVersion.V500;
            return (ack, version);
        }
        catch (BrokerConnectionException e) when (version == MqttProtocolVersion.V500 && _options.AllowProtocolFallback
            && (e.ReasonCode is MqttReasonCode.UnsupportedProtocolVersion || (e.ReasonCode is null && !_accepted500))
            && e.InnerException is not BrokerConnectionException)
        {
            return (await AttemptAsync(MqttProtocolVersion.V311, cleanStart, cancellation).ConfigureAwait(false), MqttProtocolVersion.V311);
        }
    }

    private async Task<MqttClientConnectResult> AttemptAsync(MqttProtocolVersion version, bool cleanStart, CancellationToken cancellation)
    {
        var label = version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1";
        MqttClientConnectResult ack;
        try
        {
            ack = await _client.ConnectAsync(MqttnetTranslation.ClientOptions(_options, version, _clientId, cleanStart), cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not BrokerConnectionException)
        {
            if (FindInner<BrokerConnectionException>(e) is { } ours)
            {
                // Our TLS check refused the broker's certificate.
                throw new BrokerConnectionException($"TLS handshake with {Broker} failed: {ours.Message}", innerException: ours);
            }

            // Refused, unresolvable or unrouted: the TCP connection never came up. Anything later (a reset, a TLS alert) came from the broker.
            var reached = FindInner<SocketException>(e)?.SocketErrorCode is not (SocketError.ConnectionRefused or SocketError.HostNotFound
                or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain or SocketError.AddressNotAvailable or SocketError.NoData);
            var cause = e is OperationCanceledException or MqttCommunicationTimedOutException
                ? $"no CONNACK within {_options.ConnectTimeout.TotalSeconds:0.#} s"
                : e.GetBaseException().Message;
            throw new BrokerConnectionException(
                reached ? $"{Broker} closed the connection before CONNACK (MQTT {label}): {cause}" : $"Cannot reach {Broker}: {cause}",
                reached ? null : MqttReasonCode.ServerUnavailable,
                e);
        }

        if (ack.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw Refused((MqttReasonCode)(byte)ack.ResultCode, label, ack.ReasonString);
        }

        return ack;
    }

    private BrokerConnectionException Refused(MqttReasonCode code, string label, string? reasonString)
    {
        var reason = string.IsNullOrEmpty(reasonString) ? "" : $": {reasonString}";
        return new BrokerConnectionException($"{Broker} refused the connection (MQTT {label}) with {MqttReasonCodes.Describe(code)}{reason}.", code);
    }

    private async Task<IReadOnlyList<string>> RestoreSubscriptionsAsync(CancellationToken cancellation)
    {
        MqttTopicSubscription[] known;
        lock (_lock)
        {
            known = [.. _subscriptions.Values];
        }

        if (known.Length == 0)
        {
            return [];
        }

        var codes = await SendSubscribeAsync(known, cancellation).ConfigureAwait(false);
        var refused = new List<string>();
        lock (_lock)
        {
            for (var i = 0; i < codes.Count; i++)
            {
                if (MqttReasonCodes.IsFailure(codes[i]))
                {
                    _subscriptions.Remove(known[i].TopicFilter);
                    refused.Add(known[i].TopicFilter);
                }
            }
        }

        return refused;
    }

    private async Task<IReadOnlyList<MqttReasonCode>> SendSubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellation)
    {
        var options = new MqttClientSubscribeOptionsBuilder();
        foreach (var subscription in subscriptions)
        {
            options.WithTopicFilter(MqttnetTranslation.TopicFilter(subscription));
        }

        var result = await Guard(c => _client.SubscribeAsync(options.Build(), c), "subscribe", cancellation).ConfigureAwait(false);
        return [.. result.Items.Select(item => (MqttReasonCode)(byte)item.ResultCode)];
    }

    private async Task<T> Guard<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellation)
    {
        try
        {
            return await operation(cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e, cancellation))
        {
            throw new BrokerConnectionException($"Could not {what}: the connection to {Broker} was lost ({e.Message}).", innerException: e);
        }
    }

    private async Task SuperviseAsync(Link link, CancellationToken lifetime)
    {
        while (true)
        {
            MqttConnectionLoss loss;
            using (lifetime.Register(static state => ((Link)state!).Lose(new MqttConnectionLoss("The client disconnected.")), link))
            {
                loss = await link.Lost.ConfigureAwait(false);
            }

            lock (_lock)
            {
                if (_current == link)
                {
                    _current = null;
                    _connectedSignal = NewConnectedSignal();
                }
            }

            await DropAsync().ConfigureAwait(false);
            link.Dispose();
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

            var next = await RetryAsync(isReconnect: true, lifetime).ConfigureAwait(false);
            if (next is null)
            {
                Stop("the client disconnected while reconnecting.");
                return;
            }

            link = next;
        }
    }

    /// <summary>Connects, retrying with backoff; null when cancelled first.</summary>
    private async Task<Link?> RetryAsync(bool isReconnect, CancellationToken cancellation, CancellationTokenSource? lifetime = null)
    {
        try
        {
            if (isReconnect)
            {
                // A connection that drops right after connecting must not turn into a tight loop.
                await Task.Delay(_backoff.GetDelay(0), _time, cancellation).ConfigureAwait(false);
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await EstablishAsync(isReconnect, cancellation, lifetime).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
                {
                    // Whatever stopped this attempt (refusal, network, TLS), report it and try again later.
                    var delay = _backoff.GetDelay(isReconnect ? attempt + 1 : attempt);
                    Raise(ReconnectFailed, new MqttReconnectFailedEventArgs(attempt, e, delay));
                    await Task.Delay(delay, _time, cancellation).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Closes whatever is left of the MQTTnet connection without DISCONNECT (the will stays armed).</summary>
    private async Task DropAsync()
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.UnspecifiedError }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private void Stop(string reason)
    {
        TaskCompletionSource<Link> signal;
        lock (_lock)
        {
            _running = false;
            _lifetime = null;
            signal = _connectedSignal;
            _connectedSignal = NewConnectedSignal();
        }

        signal.TrySetException(new BrokerConnectionException($"The broker connection stopped: {reason}"));
        _outbox.FailAll(reason);
    }

    private async Task<MqttReasonCode> PublishOnceAsync(MqttMessage message, bool dup, MqttProtocolVersion version)
    {
        var outgoing = MqttnetTranslation.Outgoing(message, version);
        outgoing.Dup = dup;
        var result = await _client.PublishAsync(outgoing, CancellationToken.None).ConfigureAwait(false);
        return (MqttReasonCode)(byte)result.ReasonCode;
    }

    private Task OnMessageReceived(MqttApplicationMessageReceivedEventArgs e)
    {
        // Queued, then acknowledged by MQTTnet when this returns: a poison message is the application's to answer.
        _inbox.Writer.TryWrite(MqttnetTranslation.Incoming(e.ApplicationMessage));
        return Task.CompletedTask;
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        Link? link;
        lock (_lock)
        {
            link = _current ?? _connecting;
        }

        if (link is not null && e.ClientWasConnected)
        {
            var reason = e.Reason is MqttClientDisconnectReason.NormalDisconnection && e.Exception is not null
                ? $"The connection failed: {e.Exception.GetBaseException().Message}"
                : $"The connection ended ({e.Reason}{(string.IsNullOrEmpty(e.ReasonString) ? "" : $": {e.ReasonString}")}).";
            var code = e.Reason == MqttClientDisconnectReason.NormalDisconnection ? (MqttReasonCode?)null : (MqttReasonCode)(byte)e.Reason;
            link.Lose(new MqttConnectionLoss(reason, code, e.Exception));
        }

        return Task.CompletedTask;
    }

    private async Task<Link> WaitForLinkAsync(CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Task<Link> signal;
        lock (_lock)
        {
            if (!_running)
            {
                throw new BrokerConnectionException("Not connected: call ConnectAsync first.");
            }

            signal = _connectedSignal.Task;
        }

        return await signal.WaitAsync(cancellation).ConfigureAwait(false);
    }

    private static bool IsConnectionFailure(Exception e, CancellationToken cancellation) =>
        e is MqttCommunicationException or ObjectDisposedException
        || (e is OperationCanceledException && !cancellation.IsCancellationRequested);

    private static void CheckBrokerLimits(MqttMessage message, MqttConnectionInfo info)
    {
        if (message.Qos > info.MaximumQos)
        {
            throw new BrokerConnectionException(
                $"The broker accepts at most QoS {(byte)info.MaximumQos}; the message to '{message.Topic}' asks for {(byte)message.Qos}.",
                MqttReasonCode.QoSNotSupported);
        }

        if (message.Retain && !info.RetainAvailable)
        {
            throw new BrokerConnectionException($"The broker does not support retained messages; '{message.Topic}' was not sent.", MqttReasonCode.RetainNotSupported);
        }

        // A lower bound of the encoded size: enough to refuse what the broker would answer with DISCONNECT 0x95.
        var minimumSize = 5L + 2 + Encoding.UTF8.GetByteCount(message.Topic) + message.Payload.Length;
        if (info.MaximumPacketSize is { } limit && minimumSize > limit)
        {
            throw new BrokerConnectionException(
                $"The message to '{message.Topic}' needs at least {minimumSize} bytes; the broker accepts packets up to {limit}.",
                MqttReasonCode.PacketTooLarge);
        }
    }

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
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

    private static TaskCompletionSource<Link> NewConnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One network connection: what was agreed, and when it ended.</summary>
    private sealed class Link(MqttConnectionInfo info) : IDisposable
    {
        private readonly TaskCompletionSource<MqttConnectionLoss> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _closing = new();

        public MqttConnectionInfo Info { get; } = info;

        public Task<MqttConnectionLoss> Lost => _lost.Task;

        /// <summary>Cancelled when the connection is lost.</summary>
        public CancellationToken Closing => _closing.Token;

        public void Lose(MqttConnectionLoss loss)
        {
            if (_lost.TrySetResult(loss))
            {
                _closing.Cancel();
            }
        }

        /// <summary>Only once lost: the token is cancelled by then, so whoever still holds it sees that.</summary>
        public void Dispose() => _closing.Dispose();
    }
}
