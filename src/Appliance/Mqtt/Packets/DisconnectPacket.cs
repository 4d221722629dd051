namespace Appliance.Mqtt.Packets;

/// <summary>DISCONNECT: in 5.0 with a reason code and properties, sent by either side; in 3.1.1 empty, client only.</summary>
public sealed class DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        RequireSendableReasonCode(ReasonCode, Type, version);
        if (version == MqttProtocolVersion.V311)
        {
            WriteProperties(writer, Properties, MqttPropertyScope.Disconnect, version);
            return;
        }

        // An empty body means "normal disconnection, no properties".
        if (ReasonCode != MqttReasonCode.Success || !Properties.IsEmpty)
        {
            writer.WriteByte((byte)ReasonCode);
            if (!Properties.IsEmpty)
            {
                writer.WriteProperties(Properties, MqttPropertyScope.Disconnect);
            }
        }
    }

    internal static DisconnectPacket Read(ref MqttWireReader reader, MqttProtocolVersion version)
    {
        if (version == MqttProtocolVersion.V311 || reader.IsAtEnd)
        {
            return new DisconnectPacket();
        }

        var code = ReadReasonCode(ref reader, MqttPacketType.Disconnect);
        var properties = reader.IsAtEnd ? new MqttProperties() : MqttPropertyCodec.Read(ref reader, MqttPropertyScope.Disconnect);
        return new DisconnectPacket { ReasonCode = code, Properties = properties };
    }
}
