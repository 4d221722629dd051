using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// A message as the application sees it, outgoing or incoming. The request/response and metadata fields are
/// MQTT 5 properties: on a 3.1.1 connection they are not transmitted and arrive unset.
/// </summary>
public sealed class MqttApplicationMessage
{
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQualityOfService Qos { get; init; }

    public bool Retain { get; init; }

    /// <summary>Incoming only: the broker may be redelivering this message.</summary>
    public bool Dup { get; init; }

    public string? ResponseTopic { get; init; }

    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    public string? ContentType { get; init; }

    public MqttPayloadFormat? PayloadFormat { get; init; }

    /// <summary>Seconds the broker keeps the message for subscribers; on delivery, what remains of it.</summary>
    public uint? MessageExpirySeconds { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    internal PublishPacket ToPacket(ushort packetId, bool dup, MqttProtocolVersion version) => new()
    {
        Topic = Topic,
        Payload = Payload,
        Qos = Qos,
        Retain = Retain,
        Dup = dup,
        PacketId = packetId,
        Properties = version == MqttProtocolVersion.V500 ? CreateProperties() : new MqttProperties(),
    };

    internal MqttWill ToWill(MqttProtocolVersion version, uint willDelaySeconds)
    {
        var properties = new MqttProperties();
        if (version == MqttProtocolVersion.V500)
        {
            properties = CreateProperties();
            properties.WillDelayInterval = willDelaySeconds == 0 ? null : willDelaySeconds;
        }

        return new MqttWill { Topic = Topic, Payload = Payload, Qos = Qos, Retain = Retain, Properties = properties };
    }

    internal static MqttApplicationMessage FromPacket(PublishPacket packet) => new()
    {
        Topic = packet.Topic,
        Payload = packet.Payload,
        Qos = packet.Qos,
        Retain = packet.Retain,
        Dup = packet.Dup,
        ResponseTopic = packet.Properties.ResponseTopic,
        CorrelationData = packet.Properties.CorrelationData,
        ContentType = packet.Properties.ContentType,
        PayloadFormat = packet.Properties.PayloadFormat,
        MessageExpirySeconds = packet.Properties.MessageExpiryInterval,
        UserProperties = packet.Properties.UserPropertyCount == 0 ? [] : [.. packet.Properties.UserProperties],
    };

    private MqttProperties CreateProperties()
    {
        var properties = new MqttProperties
        {
            ResponseTopic = ResponseTopic,
            CorrelationData = CorrelationData,
            ContentType = ContentType,
            PayloadFormat = PayloadFormat,
            MessageExpiryInterval = MessageExpirySeconds,
        };
        foreach (var property in UserProperties)
        {
            properties.UserProperties.Add(property);
        }

        return properties;
    }
}
