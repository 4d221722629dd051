namespace Appliance.Mqtt;

/// <summary>One topic filter in SUBSCRIBE with its options (the last three are MQTT 5 only).</summary>
public sealed record MqttTopicSubscription(string TopicFilter, MqttQualityOfService MaximumQos = MqttQualityOfService.AtLeastOnce)
{
    /// <summary>Do not receive messages this client published itself.</summary>
    public bool NoLocal { get; init; }

    public bool RetainAsPublished { get; init; }

    public MqttRetainHandling RetainHandling { get; init; }
}
