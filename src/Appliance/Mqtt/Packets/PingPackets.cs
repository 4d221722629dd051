namespace Appliance.Mqtt.Packets;

/// <summary>PINGREQ: the keep-alive probe; it has no body.</summary>
public sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    private PingReqPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingReq;

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
    }
}

/// <summary>PINGRESP: the answer to PINGREQ; it has no body.</summary>
public sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    private PingRespPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingResp;

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
    }
}
