using System.Text;
using Appliance.Mqtt.Packets;

namespace Appliance.Tests.Mqtt;

/// <summary>One sample of every packet type per protocol version, with as many fields and properties set as the version allows.</summary>
internal static class MqttTestPackets
{
    public static IEnumerable<MqttPacket> All(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        yield return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = "device-01",
            CleanStart = false,
            KeepAliveSeconds = 45,
            UserName = "appliance",
            Password = Encoding.UTF8.GetBytes("p\u00e4ss"),
            Will = new MqttWill
            {
                Topic = "appliance/dev1/status",
                Payload = Encoding.UTF8.GetBytes("offline"),
                Qos = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                Properties = v5 ? WillProperties() : new MqttProperties(),
            },
            Properties = v5 ? ConnectProperties() : new MqttProperties(),
        };
        yield return new ConnectPacket { ProtocolVersion = version, ClientId = "", KeepAliveSeconds = 0 };
        yield return new ConnAckPacket
        {
            SessionPresent = true,
            ReasonCode = MqttReasonCode.Success,
            Properties = v5 ? ConnAckProperties() : new MqttProperties(),
        };
        yield return new ConnAckPacket { ReasonCode = MqttReasonCode.NotAuthorized };
        yield return new PublishPacket
        {
            Topic = "appliance/dev1/request",
            Payload = Encoding.UTF8.GetBytes("{\"prompt\":\"hi\"}"),
            Qos = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            Dup = true,
            PacketId = 513,
            Properties = v5 ? PublishProperties() : new MqttProperties(),
        };
        yield return new PublishPacket { Topic = "t", Qos = MqttQualityOfService.AtMostOnce };
        yield return new PublishPacket { Topic = "t/2", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 65535, Payload = new byte[300] };
        foreach (var flow in FlowPackets(v5))
        {
            yield return flow;
        }

        yield return new SubscribePacket
        {
            PacketId = 7,
            Subscriptions =
            [
                new MqttTopicSubscription("appliance/+/request", MqttQualityOfService.AtLeastOnce)
                {
                    NoLocal = v5,
                    RetainAsPublished = v5,
                    RetainHandling = v5 ? MqttRetainHandling.DoNotSend : MqttRetainHandling.SendAtSubscribe,
                },
                new MqttTopicSubscription("#", MqttQualityOfService.ExactlyOnce),
            ],
            Properties = v5 ? SubscribeProperties() : new MqttProperties(),
        };
        yield return new SubAckPacket
        {
            PacketId = 7,
            ReasonCodes = v5
                ? [MqttReasonCode.GrantedQoS1, MqttReasonCode.NotAuthorized, MqttReasonCode.Success]
                : [MqttReasonCode.GrantedQoS1, MqttReasonCode.UnspecifiedError, MqttReasonCode.GrantedQoS2],
            Properties = v5 ? ReasonProperties() : new MqttProperties(),
        };
        yield return new UnsubscribePacket
        {
            PacketId = 8,
            TopicFilters = ["appliance/+/request", "a/b"],
            Properties = v5 ? UserPropertiesOnly() : new MqttProperties(),
        };
        yield return new UnsubAckPacket
        {
            PacketId = 8,
            ReasonCodes = v5 ? [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] : [],
            Properties = v5 ? ReasonProperties() : new MqttProperties(),
        };
        yield return PingReqPacket.Instance;
        yield return PingRespPacket.Instance;
        yield return new DisconnectPacket();
        if (v5)
        {
            var disconnectProperties = ReasonProperties();
            disconnectProperties.SessionExpiryInterval = 0;
            disconnectProperties.ServerReference = "other.example:1883";
            yield return new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown, Properties = disconnectProperties };
            yield return new DisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage };
        }
    }

    private static IEnumerable<MqttPacket> FlowPackets(bool v5)
    {
        yield return new PubAckPacket { PacketId = 1 };
        yield return new PubRecPacket { PacketId = 2 };
        yield return new PubRelPacket { PacketId = 3 };
        yield return new PubCompPacket { PacketId = 4 };
        if (v5)
        {
            yield return new PubAckPacket { PacketId = 5, ReasonCode = MqttReasonCode.NoMatchingSubscribers };
            yield return new PubRecPacket { PacketId = 6, ReasonCode = MqttReasonCode.QuotaExceeded, Properties = ReasonProperties() };
            yield return new PubRelPacket { PacketId = 7, ReasonCode = MqttReasonCode.PacketIdentifierNotFound };
            yield return new PubCompPacket { PacketId = 8, Properties = ReasonProperties() };
        }
    }

    private static MqttProperties ConnectProperties()
    {
        var properties = UserPropertiesOnly();
        properties.SessionExpiryInterval = 3600;
        properties.ReceiveMaximum = 20;
        properties.MaximumPacketSize = 65536;
        properties.TopicAliasMaximum = 0;
        properties.RequestResponseInformation = true;
        properties.RequestProblemInformation = false;
        return properties;
    }

    private static MqttProperties WillProperties()
    {
        var properties = UserPropertiesOnly();
        properties.WillDelayInterval = 5;
        properties.PayloadFormat = MqttPayloadFormat.Utf8;
        properties.MessageExpiryInterval = 600;
        properties.ContentType = "text/plain";
        properties.ResponseTopic = "appliance/dev1/ack";
        properties.CorrelationData = new byte[] { 1, 2, 3 };
        return properties;
    }

    private static MqttProperties ConnAckProperties()
    {
        var properties = ReasonProperties();
        properties.SessionExpiryInterval = 120;
        properties.ReceiveMaximum = 10;
        properties.MaximumQos = MqttQualityOfService.AtLeastOnce;
        properties.RetainAvailable = false;
        properties.MaximumPacketSize = 1_000_000;
        properties.AssignedClientIdentifier = "auto-42";
        properties.TopicAliasMaximum = 10;
        properties.WildcardSubscriptionAvailable = true;
        properties.SubscriptionIdentifierAvailable = false;
        properties.SharedSubscriptionAvailable = true;
        properties.ServerKeepAlive = 30;
        properties.ResponseInformation = "appliance/responses";
        properties.ServerReference = "backup:1883";
        return properties;
    }

    private static MqttProperties PublishProperties()
    {
        var properties = UserPropertiesOnly();
        properties.PayloadFormat = MqttPayloadFormat.Utf8;
        properties.MessageExpiryInterval = 30;
        properties.ContentType = "application/json";
        properties.ResponseTopic = "client/7/responses";
        properties.CorrelationData = new byte[] { 0xDE, 0xAD, 0xBE, 0xEF };
        properties.TopicAlias = 3;
        properties.SubscriptionIdentifiers.Add(1);
        properties.SubscriptionIdentifiers.Add(268_435_455);
        return properties;
    }

    private static MqttProperties SubscribeProperties()
    {
        var properties = UserPropertiesOnly();
        properties.SubscriptionIdentifiers.Add(300);
        return properties;
    }

    private static MqttProperties ReasonProperties()
    {
        var properties = UserPropertiesOnly();
        properties.ReasonString = "because \u2713";
        return properties;
    }

    private static MqttProperties UserPropertiesOnly()
    {
        var properties = new MqttProperties();
        properties.UserProperties.Add(new MqttUserProperty("model", "qwen3-0.6b"));
        properties.UserProperties.Add(new MqttUserProperty("model", "second value, same name"));
        return properties;
    }
}
