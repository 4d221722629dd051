namespace Appliance.Mqtt.Packets;

/// <summary>The shared layout of PUBACK, PUBREC, PUBREL and PUBCOMP: packet identifier, then (5.0) reason code and properties.</summary>
public abstract class PublishFlowPacket : MqttPacket
{
    private protected PublishFlowPacket()
    {
    }

    public ushort PacketId { get; init; }

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        WritePacketId(writer, PacketId, Type);
        RequireSendableReasonCode(ReasonCode, Type, version);
        if (version == MqttProtocolVersion.V311)
        {
            WriteProperties(writer, Properties, MqttPropertyScope.PublishResponse, version);
            return;
        }

        // 5.0 lets both trailing fields go when they carry nothing.
        if (ReasonCode != MqttReasonCode.Success || !Properties.IsEmpty)
        {
            writer.WriteByte((byte)ReasonCode);
            if (!Properties.IsEmpty)
            {
                writer.WriteProperties(Properties, MqttPropertyScope.PublishResponse);
            }
        }
    }

    internal static TPacket Read<TPacket>(ref MqttWireReader reader, MqttPacketType type, MqttProtocolVersion version)
        where TPacket : PublishFlowPacket, new()
    {
        var packetId = ReadPacketId(ref reader);
        var code = MqttReasonCode.Success;
        var properties = new MqttProperties();
        if (version == MqttProtocolVersion.V500 && !reader.IsAtEnd)
        {
            code = ReadReasonCode(ref reader, type);
            if (!reader.IsAtEnd)
            {
                properties = MqttPropertyCodec.Read(ref reader, MqttPropertyScope.PublishResponse);
            }
        }

        return new TPacket { PacketId = packetId, ReasonCode = code, Properties = properties };
    }
}

/// <summary>PUBACK: the answer to a QoS 1 PUBLISH.</summary>
public sealed class PubAckPacket : PublishFlowPacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

/// <summary>PUBREC: the first answer to a QoS 2 PUBLISH.</summary>
public sealed class PubRecPacket : PublishFlowPacket
{
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

/// <summary>PUBREL: the publisher's release after PUBREC.</summary>
public sealed class PubRelPacket : PublishFlowPacket
{
    public override MqttPacketType Type => MqttPacketType.PubRel;

    internal override byte FixedHeaderFlags => 0x02;
}

/// <summary>PUBCOMP: the end of the QoS 2 exchange.</summary>
public sealed class PubCompPacket : PublishFlowPacket
{
    public override MqttPacketType Type => MqttPacketType.PubComp;
}
