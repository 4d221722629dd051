using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// The subscriptions the broker has acknowledged, kept to restore them when a reconnect starts a new session,
/// and the SUBSCRIBE/UNSUBSCRIBE exchanges awaiting their acknowledgement.
/// </summary>
internal sealed class MqttSubscriptions
{
    private readonly MqttPacketIdentifiers _identifiers;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttTopicSubscription> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, PendingExchange> _pending = [];

    public MqttSubscriptions(MqttPacketIdentifiers identifiers)
    {
        _identifiers = identifiers;
    }

    public IReadOnlyList<MqttTopicSubscription> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _active.Values];
            }
        }
    }

    /// <summary>Subscribes and records what the broker granted; returns one reason code per subscription.</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(
        MqttConnection connection, IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellation)
    {
        var ack = (SubAckPacket)await ExchangeAsync(
            connection,
            id => new SubscribePacket { PacketId = id, Subscriptions = subscriptions },
            new PendingExchange(MqttPacketType.SubAck, subscriptions.Count),
            cancellation).ConfigureAwait(false);
        lock (_lock)
        {
            for (var i = 0; i < subscriptions.Count; i++)
            {
                if (MqttReasonCodes.IsFailure(ack.ReasonCodes[i]))
                {
                    _active.Remove(subscriptions[i].TopicFilter);
                }
                else
                {
                    _active[subscriptions[i].TopicFilter] = subscriptions[i];
                }
            }
        }

        return ack.ReasonCodes;
    }

    /// <summary>Unsubscribes; 5.0 returns one reason code per filter, 3.1.1 reports success for each.</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(
        MqttConnection connection, IReadOnlyList<string> topicFilters, CancellationToken cancellation)
    {
        var v5 = connection.Version == MqttProtocolVersion.V500;
        var ack = (UnsubAckPacket)await ExchangeAsync(
            connection,
            id => new UnsubscribePacket { PacketId = id, TopicFilters = topicFilters },
            new PendingExchange(MqttPacketType.UnsubAck, v5 ? topicFilters.Count : 0),
            cancellation).ConfigureAwait(false);
        IReadOnlyList<MqttReasonCode> codes = v5 ? ack.ReasonCodes : [.. Enumerable.Repeat(MqttReasonCode.Success, topicFilters.Count)];
        lock (_lock)
        {
            foreach (var filter in topicFilters)
            {
                _active.Remove(filter);
            }
        }

        return codes;
    }

    /// <summary>
    /// Hands a SUBACK or UNSUBACK to the exchange waiting for it; false when none waits. An acknowledgement of the
    /// wrong kind or with the wrong number of reason codes is the broker's protocol error.
    /// </summary>
    public bool Complete(ushort packetId, MqttPacket ack, IReadOnlyList<MqttReasonCode> reasonCodes)
    {
        PendingExchange? exchange;
        lock (_lock)
        {
            _pending.Remove(packetId, out exchange);
        }

        if (exchange is null)
        {
            return false;
        }

        if (ack.Type != exchange.ExpectedAck || reasonCodes.Count != exchange.ReasonCodeCount)
        {
            var error = new MqttProtocolException(
                MqttReasonCode.ProtocolError,
                $"Packet identifier {packetId} was answered by {ack.Type} with {reasonCodes.Count} reason code(s); "
                + $"expected {exchange.ExpectedAck} with {exchange.ReasonCodeCount}.");
            exchange.Completion.TrySetException(error);
            throw error;
        }

        return exchange.Completion.TrySetResult(ack);
    }

    /// <summary>Re-subscribes everything active (a reconnect that started a new session); returns the filters the broker refused.</summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(MqttConnection connection, CancellationToken cancellation)
    {
        var subscriptions = Active;
        if (subscriptions.Count == 0)
        {
            return [];
        }

        var codes = await SubscribeAsync(connection, subscriptions, cancellation).ConfigureAwait(false);
        return [.. subscriptions.Where((_, i) => MqttReasonCodes.IsFailure(codes[i])).Select(s => s.TopicFilter)];
    }

    private async Task<MqttPacket> ExchangeAsync(
        MqttConnection connection, Func<ushort, MqttPacket> request, PendingExchange exchange, CancellationToken cancellation)
    {
        var id = _identifiers.Rent();
        lock (_lock)
        {
            _pending[id] = exchange;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation, connection.Closing);
        try
        {
            await connection.SendAsync(request(id), cancellation).ConfigureAwait(false);
            return await exchange.Completion.Task.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            throw new MqttClientException($"The connection was lost before the {exchange.ExpectedAck} arrived.", innerException: e);
        }
        finally
        {
            lock (_lock)
            {
                _pending.Remove(id);
            }

            _identifiers.Return(id);
        }
    }

    private sealed class PendingExchange(MqttPacketType expectedAck, int reasonCodeCount)
    {
        public MqttPacketType ExpectedAck { get; } = expectedAck;

        public int ReasonCodeCount { get; } = reasonCodeCount;

        public TaskCompletionSource<MqttPacket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
