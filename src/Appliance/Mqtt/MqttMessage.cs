namespace Appliance.Mqtt;

/// <summary>
/// A message as the application sees it, outgoing or incoming. The request/response and metadata fields are
/// MQTT 5 properties: on a 3.1.1 connection they are not transmitted and arrive unset.
/// </summary>
public sealed class MqttMessage
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
}
