namespace Appliance.Mqtt.Packets;

/// <summary>One MQTT control packet. Each subclass knows its own wire layout for 3.1.1 and 5.0.</summary>
public abstract class MqttPacket
{
    private protected MqttPacket()
    {
    }

    public abstract MqttPacketType Type { get; }

    /// <summary>The low nibble of the fixed header's first byte.</summary>
    internal virtual byte FixedHeaderFlags => 0;

    internal abstract void WriteBody(MqttWireWriter writer, MqttProtocolVersion version);

    /// <summary>Writes the property block for 5.0; for 3.1.1 properties cannot be sent, so having any is an error, not a silent drop.</summary>
    private protected void WriteProperties(MqttWireWriter writer, MqttProperties properties, MqttPropertyScope scope, MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V500)
        {
            writer.WriteProperties(properties, scope);
        }
        else if (!properties.IsEmpty)
        {
            throw new ArgumentException($"{Type} has MQTT 5 {scope} properties, which MQTT 3.1.1 cannot carry.");
        }
    }

    private protected static MqttProperties ReadProperties(ref MqttWireReader reader, MqttPropertyScope scope, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, scope) : new MqttProperties();

    private protected static ushort ReadPacketId(ref MqttWireReader reader)
    {
        var id = reader.ReadUInt16("packet identifier");
        if (id == 0)
        {
            MqttProtocolException.ThrowProtocolError("Packet identifier is 0; it must be 1..65535.");
        }

        return id;
    }

    private protected static void WritePacketId(MqttWireWriter writer, ushort packetId, MqttPacketType type)
    {
        if (packetId == 0)
        {
            throw new ArgumentException($"{type} needs a packet identifier of 1..65535, got 0.");
        }

        writer.WriteUInt16(packetId);
    }

    private protected static MqttReasonCode ReadReasonCode(ref MqttWireReader reader, MqttPacketType type)
    {
        var code = (MqttReasonCode)reader.ReadByte("reason code");
        if (!MqttReasonCodes.IsValidFor(type, code))
        {
            MqttProtocolException.ThrowProtocolError($"Reason code 0x{(byte)code:X2} is not valid in {type}.");
        }

        return code;
    }

    private protected static void RequireSendableReasonCode(MqttReasonCode code, MqttPacketType type, MqttProtocolVersion version)
    {
        if (!MqttReasonCodes.IsValidFor(type, code))
        {
            throw new ArgumentException($"Reason code {MqttReasonCodes.Describe(code)} is not valid in {type}.");
        }

        if (version == MqttProtocolVersion.V311 && code != MqttReasonCode.Success)
        {
            throw new ArgumentException($"{type} in MQTT 3.1.1 has no reason code; {MqttReasonCodes.Describe(code)} cannot be sent.");
        }
    }
}
