namespace Appliance.Mqtt.Packets;

/// <summary>
/// MQTT 5 properties of one packet (MQTT 5.0, 2.2.2). Unset values are null; which ones a packet may carry is
/// checked when it is encoded or decoded. 3.1.1 packets have none.
/// </summary>
public sealed class MqttProperties
{
    private List<MqttUserProperty>? _userProperties;
    private List<int>? _subscriptionIdentifiers;

    public MqttPayloadFormat? PayloadFormat { get; set; }

    /// <summary>Seconds.</summary>
    public uint? MessageExpiryInterval { get; set; }

    public string? ContentType { get; set; }

    public string? ResponseTopic { get; set; }

    public ReadOnlyMemory<byte>? CorrelationData { get; set; }

    /// <summary>1..268435455; SUBSCRIBE carries at most one, PUBLISH one per matching subscription.</summary>
    public IList<int> SubscriptionIdentifiers => _subscriptionIdentifiers ??= [];

    /// <summary>Seconds; <see cref="uint.MaxValue"/> means the session never expires.</summary>
    public uint? SessionExpiryInterval { get; set; }

    public string? AssignedClientIdentifier { get; set; }

    /// <summary>Seconds.</summary>
    public ushort? ServerKeepAlive { get; set; }

    public string? AuthenticationMethod { get; set; }

    public ReadOnlyMemory<byte>? AuthenticationData { get; set; }

    public bool? RequestProblemInformation { get; set; }

    /// <summary>Seconds.</summary>
    public uint? WillDelayInterval { get; set; }

    public bool? RequestResponseInformation { get; set; }

    public string? ResponseInformation { get; set; }

    public string? ServerReference { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public ushort? TopicAliasMaximum { get; set; }

    public ushort? TopicAlias { get; set; }

    /// <summary>A server's CONNACK only: AtMostOnce or AtLeastOnce.</summary>
    public MqttQualityOfService? MaximumQos { get; set; }

    public bool? RetainAvailable { get; set; }

    public IList<MqttUserProperty> UserProperties => _userProperties ??= [];

    public uint? MaximumPacketSize { get; set; }

    public bool? WildcardSubscriptionAvailable { get; set; }

    public bool? SubscriptionIdentifierAvailable { get; set; }

    public bool? SharedSubscriptionAvailable { get; set; }

    internal int UserPropertyCount => _userProperties?.Count ?? 0;

    internal int SubscriptionIdentifierCount => _subscriptionIdentifiers?.Count ?? 0;

    public bool IsEmpty =>
        PayloadFormat is null && MessageExpiryInterval is null && ContentType is null && ResponseTopic is null
        && CorrelationData is null && SubscriptionIdentifierCount == 0 && SessionExpiryInterval is null
        && AssignedClientIdentifier is null && ServerKeepAlive is null && AuthenticationMethod is null
        && AuthenticationData is null && RequestProblemInformation is null && WillDelayInterval is null
        && RequestResponseInformation is null && ResponseInformation is null && ServerReference is null
        && ReasonString is null && ReceiveMaximum is null && TopicAliasMaximum is null && TopicAlias is null
        && MaximumQos is null && RetainAvailable is null && UserPropertyCount == 0 && MaximumPacketSize is null
        && WildcardSubscriptionAvailable is null && SubscriptionIdentifierAvailable is null
        && SharedSubscriptionAvailable is null;
}
