namespace Appliance.Mqtt.Packets;

/// <summary>PUBLISH.</summary>
public sealed class PublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    /// <summary>Empty only in 5.0 with a <see cref="MqttProperties.TopicAlias"/>.</summary>
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQualityOfService Qos { get; init; }

    public bool Retain { get; init; }

    public bool Dup { get; init; }

    /// <summary>1..65535 for QoS 1 and 2; unused (0) for QoS 0.</summary>
    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override byte FixedHeaderFlags =>
        (byte)((Dup ? 0x08 : 0) | ((byte)Qos << 1) | (Retain ? 0x01 : 0));

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        if (Qos > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentException($"PUBLISH QoS {(byte)Qos} is not 0, 1 or 2.");
        }

        if (Dup && Qos == MqttQualityOfService.AtMostOnce)
        {
            throw new ArgumentException("PUBLISH with QoS 0 cannot have the DUP flag.");
        }

        writer.WriteString(Topic, "topic name");
        if (Qos != MqttQualityOfService.AtMostOnce)
        {
            WritePacketId(writer, PacketId, Type);
        }

        WriteProperties(writer, Properties, MqttPropertyScope.Publish, version);
        writer.WriteBytes(Payload.Span);
    }

    internal static PublishPacket Read(ref MqttWireReader reader, byte flags, MqttProtocolVersion version)
    {
        var qos = (flags >> 1) & 0x03;
        var dup = (flags & 0x08) != 0;
        if (qos == 3)
        {
            MqttProtocolException.ThrowMalformed("PUBLISH: QoS is 3.");
        }

        if (dup && qos == 0)
        {
            MqttProtocolException.ThrowProtocolError("PUBLISH: the DUP flag is set on a QoS 0 message.");
        }

        var topic = reader.ReadString("topic name");
        var packetId = qos == 0 ? (ushort)0 : ReadPacketId(ref reader);
        var properties = ReadProperties(ref reader, MqttPropertyScope.Publish, version);
        if (topic.Length > 0 || properties.TopicAlias is null)
        {
            if (MqttTopic.FindTopicNameProblem(topic) is { } problem)
            {
                throw new MqttProtocolException(MqttReasonCode.TopicNameInvalid, $"PUBLISH: {problem}.");
            }
        }

        return new PublishPacket
        {
            Topic = topic,
            Qos = (MqttQualityOfService)qos,
            Dup = dup,
            Retain = (flags & 0x01) != 0,
            PacketId = packetId,
            Properties = properties,
            Payload = reader.ReadRemaining().ToArray(),
        };
    }
}
