using System.Threading.Channels;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// Incoming PUBLISH handling: delivers each message to the channel, answers QoS 1 with PUBACK and runs the QoS 2
/// PUBREC/PUBREL/PUBCOMP exchange, delivering a QoS 2 message once even if the broker sends it again.
/// </summary>
internal sealed class MqttInbox
{
    private readonly Channel<MqttApplicationMessage> _messages =
        Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleWriter = true });

    // QoS 2 identifiers delivered but not yet released: session state, kept across reconnects while the session lives.
    private readonly HashSet<ushort> _awaitingRelease = [];
    private readonly Lock _lock = new();

    public ChannelReader<MqttApplicationMessage> Messages => _messages.Reader;

    public async Task ReceivePublishAsync(PublishPacket publish, MqttConnection connection)
    {
        if (publish.Properties.TopicAlias is { } alias)
        {
            throw new MqttProtocolException(
                MqttReasonCode.TopicAliasInvalid,
                $"PUBLISH to '{publish.Topic}' uses topic alias {alias}, but this client allows none (Topic Alias Maximum 0).");
        }

        switch (publish.Qos)
        {
            case MqttQualityOfService.AtMostOnce:
                Deliver(publish);
                break;
            case MqttQualityOfService.AtLeastOnce:
                Deliver(publish);
                await connection.SendAsync(new PubAckPacket { PacketId = publish.PacketId }).ConfigureAwait(false);
                break;
            default:
                bool isNew;
                lock (_lock)
                {
                    isNew = _awaitingRelease.Add(publish.PacketId);
                }

                if (isNew)
                {
                    Deliver(publish);
                }

                await connection.SendAsync(new PubRecPacket { PacketId = publish.PacketId }).ConfigureAwait(false);
                break;
        }
    }

    public Task ReceiveReleaseAsync(PubRelPacket release, MqttConnection connection)
    {
        bool known;
        lock (_lock)
        {
            known = _awaitingRelease.Remove(release.PacketId);
        }

        // 3.1.1 has no reason code; there an unknown identifier is simply completed.
        var code = known || connection.Version == MqttProtocolVersion.V311 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound;
        return connection.SendAsync(new PubCompPacket { PacketId = release.PacketId, ReasonCode = code });
    }

    /// <summary>The broker started a new session: nothing from the old one is awaiting release.</summary>
    public void ResetSession()
    {
        lock (_lock)
        {
            _awaitingRelease.Clear();
        }
    }

    public void Complete() => _messages.Writer.TryComplete();

    private void Deliver(PublishPacket publish) => _messages.Writer.TryWrite(MqttApplicationMessage.FromPacket(publish));
}
