namespace Appliance.Mqtt.Packets;

/// <summary>SUBACK: one reason code (granted QoS or failure) per requested topic filter, in order.</summary>
public sealed class SubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        if (ReasonCodes.Count == 0)
        {
            throw new ArgumentException("SUBACK needs at least one reason code.");
        }

        WritePacketId(writer, PacketId, Type);
        WriteProperties(writer, Properties, MqttPropertyScope.SubAck, version);
        foreach (var code in ReasonCodes)
        {
            if (!IsValid(code, version))
            {
                throw new ArgumentException($"Reason code {MqttReasonCodes.Describe(code)} is not valid in a {version} SUBACK.");
            }

            writer.WriteByte((byte)code);
        }
    }

    internal static SubAckPacket Read(ref MqttWireReader reader, MqttProtocolVersion version)
    {
        var packetId = ReadPacketId(ref reader);
        var properties = ReadProperties(ref reader, MqttPropertyScope.SubAck, version);
        var codes = new List<MqttReasonCode>(reader.Remaining);
        while (!reader.IsAtEnd)
        {
            var code = (MqttReasonCode)reader.ReadByte("reason code");
            if (!IsValid(code, version))
            {
                MqttProtocolException.ThrowProtocolError($"Reason code 0x{(byte)code:X2} is not valid in a {version} SUBACK.");
            }

            codes.Add(code);
        }

        if (codes.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("SUBACK has no reason codes.");
        }

        return new SubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }

    // 3.1.1 return codes are the granted QoS or 0x80, which coincide with the 5.0 codes of the same meaning.
    private static bool IsValid(MqttReasonCode code, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500
            ? MqttReasonCodes.IsValidFor(MqttPacketType.SubAck, code)
            : code is <= MqttReasonCode.GrantedQoS2 or MqttReasonCode.UnspecifiedError;
}
