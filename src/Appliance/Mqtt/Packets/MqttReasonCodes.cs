namespace Appliance.Mqtt.Packets;

/// <summary>Which reason codes each acknowledgement may carry (MQTT 5.0, section 2.4), and readable names for messages.</summary>
public static class MqttReasonCodes
{
    public static bool IsFailure(MqttReasonCode code) => (byte)code >= 0x80;

    /// <summary>"NotAuthorized (0x87)": the name and the wire value, for error messages.</summary>
    public static string Describe(MqttReasonCode code) => $"{code} (0x{(byte)code:X2})";

    public static bool IsValidFor(MqttPacketType packet, MqttReasonCode code) => packet switch
    {
        MqttPacketType.ConnAck => code is MqttReasonCode.Success
            or (>= MqttReasonCode.UnspecifiedError and <= MqttReasonCode.BadAuthenticationMethod and not MqttReasonCode.ServerShuttingDown)
            or MqttReasonCode.TopicNameInvalid or MqttReasonCode.PacketTooLarge or MqttReasonCode.QuotaExceeded
            or (>= MqttReasonCode.PayloadFormatInvalid and <= MqttReasonCode.ServerMoved)
            or MqttReasonCode.ConnectionRateExceeded,
        MqttPacketType.PubAck or MqttPacketType.PubRec => code is MqttReasonCode.Success or MqttReasonCode.NoMatchingSubscribers
            or MqttReasonCode.UnspecifiedError or MqttReasonCode.ImplementationSpecificError or MqttReasonCode.NotAuthorized
            or MqttReasonCode.TopicNameInvalid or MqttReasonCode.PacketIdentifierInUse or MqttReasonCode.QuotaExceeded
            or MqttReasonCode.PayloadFormatInvalid,
        MqttPacketType.PubRel or MqttPacketType.PubComp => code is MqttReasonCode.Success or MqttReasonCode.PacketIdentifierNotFound,
        MqttPacketType.SubAck => code is MqttReasonCode.Success or MqttReasonCode.GrantedQoS1 or MqttReasonCode.GrantedQoS2
            or MqttReasonCode.UnspecifiedError or MqttReasonCode.ImplementationSpecificError or MqttReasonCode.NotAuthorized
            or MqttReasonCode.TopicFilterInvalid or MqttReasonCode.PacketIdentifierInUse or MqttReasonCode.QuotaExceeded
            or MqttReasonCode.SharedSubscriptionsNotSupported or MqttReasonCode.SubscriptionIdentifiersNotSupported
            or MqttReasonCode.WildcardSubscriptionsNotSupported,
        MqttPacketType.UnsubAck => code is MqttReasonCode.Success or MqttReasonCode.NoSubscriptionExisted
            or MqttReasonCode.UnspecifiedError or MqttReasonCode.ImplementationSpecificError or MqttReasonCode.NotAuthorized
            or MqttReasonCode.TopicFilterInvalid or MqttReasonCode.PacketIdentifierInUse,
        MqttPacketType.Disconnect => code is MqttReasonCode.Success or MqttReasonCode.DisconnectWithWillMessage
            or (>= MqttReasonCode.UnspecifiedError and <= MqttReasonCode.ImplementationSpecificError)
            or MqttReasonCode.NotAuthorized or MqttReasonCode.ServerBusy
            or (>= MqttReasonCode.ServerShuttingDown and <= MqttReasonCode.WildcardSubscriptionsNotSupported
                and not MqttReasonCode.BadAuthenticationMethod and not MqttReasonCode.PacketIdentifierInUse
                and not MqttReasonCode.PacketIdentifierNotFound),
        _ => false,
    };
}
