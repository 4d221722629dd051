namespace Appliance.Mqtt.Packets;

/// <summary>UNSUBACK: in 5.0 one reason code per topic filter; in 3.1.1 just the packet identifier.</summary>
public sealed class UnsubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public ushort PacketId { get; init; }

    /// <summary>Empty for 3.1.1.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];

    public MqttProperties Properties { get; init; } = new();

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        WritePacketId(writer, PacketId, Type);
        if (version == MqttProtocolVersion.V311)
        {
            if (ReasonCodes.Count != 0)
            {
                throw new ArgumentException("MQTT 3.1.1 UNSUBACK carries no reason codes.");
            }

            WriteProperties(writer, Properties, MqttPropertyScope.UnsubAck, version);
            return;
        }

        if (ReasonCodes.Count == 0)
        {
            throw new ArgumentException("MQTT 5 UNSUBACK needs one reason code per topic filter.");
        }

        writer.WriteProperties(Properties, MqttPropertyScope.UnsubAck);
        foreach (var code in ReasonCodes)
        {
            if (!MqttReasonCodes.IsValidFor(MqttPacketType.UnsubAck, code))
            {
                throw new ArgumentException($"Reason code {MqttReasonCodes.Describe(code)} is not valid in UNSUBACK.");
            }

            writer.WriteByte((byte)code);
        }
    }

    internal static UnsubAckPacket Read(ref MqttWireReader reader, MqttProtocolVersion version)
    {
        var packetId = ReadPacketId(ref reader);
        if (version == MqttProtocolVersion.V311)
        {
            return new UnsubAckPacket { PacketId = packetId };
        }

        var properties = MqttPropertyCodec.Read(ref reader, MqttPropertyScope.UnsubAck);
        var codes = new List<MqttReasonCode>(reader.Remaining);
        while (!reader.IsAtEnd)
        {
            codes.Add(ReadReasonCode(ref reader, MqttPacketType.UnsubAck));
        }

        if (codes.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("UNSUBACK has no reason codes.");
        }

        return new UnsubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }
}
