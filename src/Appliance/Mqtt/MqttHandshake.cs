using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>A connection the broker accepted, with its CONNACK and the protocol version that was agreed.</summary>
internal sealed record MqttHandshake(MqttConnection Connection, ConnAckPacket Ack, MqttProtocolVersion Version);
