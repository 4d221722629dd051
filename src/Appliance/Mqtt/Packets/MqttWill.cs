namespace Appliance.Mqtt.Packets;

/// <summary>The will message carried in CONNECT: published by the broker if the connection ends without DISCONNECT.</summary>
public sealed class MqttWill
{
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQualityOfService Qos { get; init; }

    public bool Retain { get; init; }

    /// <summary>Will properties (5.0 only): payload format, message expiry, content type, response topic, correlation data, will delay, user properties.</summary>
    public MqttProperties Properties { get; init; } = new();
}
