using System.Threading.Channels;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// Outgoing QoS 1 messages of the session, in the order they were published, until their PUBACK arrives. Each
/// connection gets a pump that sends them within the broker's Receive Maximum; after a reconnect the unacknowledged
/// ones go again, with DUP when the broker kept the session, and messages published while offline wait here.
/// </summary>
internal sealed class MqttOutbox
{
    private readonly MqttPacketIdentifiers _identifiers;
    private readonly Lock _lock = new();
    private readonly LinkedList<OutgoingPublish> _order = [];
    private readonly Dictionary<ushort, LinkedListNode<OutgoingPublish>> _byId = [];
    private Channel<PumpItem>? _queue;
    private SemaphoreSlim? _quota;
    private MqttConnection? _connection;

    public MqttOutbox(MqttPacketIdentifiers identifiers)
    {
        _identifiers = identifiers;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>Queues a QoS 1 message; the task completes with the PUBACK reason code or fails with the broker's refusal.</summary>
    public Task<MqttReasonCode> Enqueue(MqttApplicationMessage message)
    {
        var publish = new OutgoingPublish(message, _identifiers.Rent());
        lock (_lock)
        {
            _byId[publish.PacketId] = _order.AddLast(publish);
            _queue?.Writer.TryWrite(new PumpItem(publish, Dup: false));
        }

        return publish.Completion.Task;
    }

    /// <summary>Sends queued messages over <paramref name="connection"/> until it closes.</summary>
    public async Task PumpAsync(MqttConnection connection, ushort receiveMaximum, bool sessionPresent)
    {
        var queue = Channel.CreateUnbounded<PumpItem>(new UnboundedChannelOptions { SingleReader = true });
        var quota = new SemaphoreSlim(receiveMaximum, receiveMaximum);
        lock (_lock)
        {
            foreach (var publish in _order)
            {
                publish.SentOn = null;
                queue.Writer.TryWrite(new PumpItem(publish, Dup: sessionPresent && publish.Sent));
            }

            _queue = queue;
            _quota = quota;
            _connection = connection;
        }

        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(connection.Closing).ConfigureAwait(false))
            {
                await quota.WaitAsync(connection.Closing).ConfigureAwait(false);
                lock (_lock)
                {
                    if (!_byId.ContainsKey(item.Publish.PacketId))
                    {
                        quota.Release();
                        continue;
                    }

                    item.Publish.SentOn = connection;
                }

                item.Publish.Sent = true;
                try
                {
                    var packet = item.Publish.Message.ToPacket(item.Publish.PacketId, item.Dup, connection.Version);
                    await connection.SendAsync(packet).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    // The encoder refused the message before writing a byte: fail it alone, keep the connection.
                    Remove(item.Publish.PacketId);
                    item.Publish.Completion.TrySetException(e);
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                if (_connection == connection)
                {
                    _queue = null;
                    _quota = null;
                    _connection = null;
                }
            }
        }
    }

    /// <summary>Settles the message a PUBACK answers; false when no message waits for that identifier.</summary>
    public bool Acknowledge(PubAckPacket ack)
    {
        if (Remove(ack.PacketId) is not { } publish)
        {
            return false;
        }

        if (MqttReasonCodes.IsFailure(ack.ReasonCode))
        {
            var reason = ack.Properties.ReasonString is { } text ? $": {text}" : "";
            publish.Completion.TrySetException(new MqttClientException(
                $"The broker refused the message to '{publish.Message.Topic}' with {MqttReasonCodes.Describe(ack.ReasonCode)}{reason}.",
                ack.ReasonCode));
        }
        else
        {
            publish.Completion.TrySetResult(ack.ReasonCode);
        }

        return true;
    }

    private OutgoingPublish? Remove(ushort packetId)
    {
        OutgoingPublish publish;
        lock (_lock)
        {
            if (!_byId.Remove(packetId, out var node))
            {
                return null;
            }

            publish = node.Value;
            _order.Remove(node);

            // Only a message sent on the current connection holds a share of its Receive Maximum.
            if (publish.SentOn is not null && publish.SentOn == _connection)
            {
                _quota?.Release();
            }
        }

        _identifiers.Return(packetId);
        return publish;
    }

    /// <summary>Drops every waiting message, failing its publisher (the client is stopping).</summary>
    public void FailAll(string reason)
    {
        List<OutgoingPublish> dropped;
        lock (_lock)
        {
            dropped = [.. _order];
            _order.Clear();
            _byId.Clear();
        }

        foreach (var publish in dropped)
        {
            _identifiers.Return(publish.PacketId);
            publish.Completion.TrySetException(new MqttClientException(
                $"The QoS 1 message to '{publish.Message.Topic}' was not acknowledged: {reason}"));
        }
    }

    private sealed class OutgoingPublish(MqttApplicationMessage message, ushort packetId)
    {
        public MqttApplicationMessage Message { get; } = message;

        public ushort PacketId { get; } = packetId;

        public TaskCompletionSource<MqttReasonCode> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Sent on some connection at least once, so a resend in the same session carries DUP.</summary>
        public bool Sent { get; set; }

        /// <summary>The connection whose Receive Maximum quota this message holds.</summary>
        public MqttConnection? SentOn { get; set; }
    }

    private readonly record struct PumpItem(OutgoingPublish Publish, bool Dup);
}
