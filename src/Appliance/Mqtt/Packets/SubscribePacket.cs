namespace Appliance.Mqtt.Packets;

/// <summary>SUBSCRIBE: one or more topic filters with options.</summary>
public sealed class SubscribePacket : MqttPacket
{
    private const byte NoLocalFlag = 0x04;
    private const byte RetainAsPublishedFlag = 0x08;

    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<MqttTopicSubscription> Subscriptions { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override byte FixedHeaderFlags => 0x02;

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        if (Subscriptions.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter.");
        }

        WritePacketId(writer, PacketId, Type);
        WriteProperties(writer, Properties, MqttPropertyScope.Subscribe, version);
        foreach (var subscription in Subscriptions)
        {
            writer.WriteString(subscription.TopicFilter, "topic filter");
            writer.WriteByte(EncodeOptions(subscription, version));
        }
    }

    private static byte EncodeOptions(MqttTopicSubscription subscription, MqttProtocolVersion version)
    {
        if (subscription.MaximumQos > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException($"Subscription '{subscription.TopicFilter}': QoS {(byte)subscription.MaximumQos} is not 0, 1 or 2.");
        }

        if (subscription.RetainHandling > MqttRetainHandling.DoNotSend)
        {
            throw new ArgumentException($"Subscription '{subscription.TopicFilter}': retain handling {(byte)subscription.RetainHandling} is not 0, 1 or 2.");
        }

        var hasV5Options = subscription.NoLocal || subscription.RetainAsPublished || subscription.RetainHandling != MqttRetainHandling.SendAtSubscribe;
        if (version == MqttProtocolVersion.V311 && hasV5Options)
        {
            throw new ArgumentException($"Subscription '{subscription.TopicFilter}': No Local, Retain As Published and Retain Handling need MQTT 5.");
        }

        return (byte)((byte)subscription.MaximumQos
            | (subscription.NoLocal ? NoLocalFlag : 0)
            | (subscription.RetainAsPublished ? RetainAsPublishedFlag : 0)
            | ((byte)subscription.RetainHandling << 4));
    }

    internal static SubscribePacket Read(ref MqttWireReader reader, MqttProtocolVersion version)
    {
        var packetId = ReadPacketId(ref reader);
        var properties = ReadProperties(ref reader, MqttPropertyScope.Subscribe, version);
        var subscriptions = new List<MqttTopicSubscription>();
        while (!reader.IsAtEnd)
        {
            var filter = reader.ReadString("topic filter");
            var options = reader.ReadByte("subscription options");
            var reservedMask = version == MqttProtocolVersion.V500 ? 0xC0 : 0xFC;
            if ((options & reservedMask) != 0)
            {
                MqttProtocolException.ThrowMalformed($"SUBSCRIBE '{filter}': reserved subscription option bits are set (0x{options:X2}).");
            }

            if ((options & 0x03) == 3)
            {
                MqttProtocolException.ThrowMalformed($"SUBSCRIBE '{filter}': QoS is 3.");
            }

            if (((options >> 4) & 0x03) == 3)
            {
                MqttProtocolException.ThrowProtocolError($"SUBSCRIBE '{filter}': retain handling is 3.");
            }

            subscriptions.Add(new MqttTopicSubscription(filter, (MqttQualityOfService)(options & 0x03))
            {
                NoLocal = (options & NoLocalFlag) != 0,
                RetainAsPublished = (options & RetainAsPublishedFlag) != 0,
                RetainHandling = (MqttRetainHandling)((options >> 4) & 0x03),
            });
        }

        if (subscriptions.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("SUBSCRIBE has no topic filters.");
        }

        return new SubscribePacket { PacketId = packetId, Subscriptions = subscriptions, Properties = properties };
    }
}
