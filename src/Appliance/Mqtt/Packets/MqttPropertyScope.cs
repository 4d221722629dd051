namespace Appliance.Mqtt.Packets;

/// <summary>Where a property block sits; each property identifier is valid in some of these (MQTT 5.0, 2.2.2.2).</summary>
[Flags]
internal enum MqttPropertyScope
{
    None = 0,
    Connect = 1 << 0,
    ConnAck = 1 << 1,
    Publish = 1 << 2,
    Will = 1 << 3,
    PublishResponse = 1 << 4,
    Subscribe = 1 << 5,
    SubAck = 1 << 6,
    Unsubscribe = 1 << 7,
    UnsubAck = 1 << 8,
    Disconnect = 1 << 9,
    Auth = 1 << 10,
}
