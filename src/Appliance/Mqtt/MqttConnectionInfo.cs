using MQTTnet;

namespace Appliance.Mqtt;

/// <summary>What was agreed with the broker for the current connection (5.0 CONNACK properties, or their defaults).</summary>
public sealed class MqttConnectionInfo
{
    public required MqttProtocolVersion ProtocolVersion { get; init; }

    public bool SessionPresent { get; init; }

    /// <summary>The configured client identifier, or the one the broker assigned.</summary>
    public required string ClientId { get; init; }

    /// <summary>The keep-alive in force: the broker's Server Keep Alive if it sent one.</summary>
    public ushort KeepAliveSeconds { get; init; }

    public uint SessionExpirySeconds { get; init; }

    /// <summary>How many QoS 1 messages this client may have awaiting PUBACK.</summary>
    public ushort ReceiveMaximum { get; init; } = ushort.MaxValue;

    public MqttQualityOfService MaximumQos { get; init; } = MqttQualityOfService.ExactlyOnce;

    public bool RetainAvailable { get; init; } = true;

    /// <summary>The broker's packet size limit, if it announced one.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>Whether the broker takes `$share/...` subscriptions (5.0 only).</summary>
    public bool SharedSubscriptionAvailable { get; init; }

    internal static MqttConnectionInfo From(MqttClientConnectResult ack, MqttProtocolVersion version, BrokerConnectionOptions options, string clientId) => new()
    {
        ProtocolVersion = version,
        SessionPresent = ack.IsSessionPresent,
        ClientId = string.IsNullOrEmpty(ack.AssignedClientIdentifier) ? clientId : ack.AssignedClientIdentifier,
        KeepAliveSeconds = ack.ServerKeepAlive > 0 ? ack.ServerKeepAlive : options.KeepAliveSeconds,
        SessionExpirySeconds = version == MqttProtocolVersion.V500 ? ack.SessionExpiryInterval ?? options.SessionExpirySeconds : 0,
        ReceiveMaximum = ack.ReceiveMaximum is > 0 and { } receiveMaximum ? receiveMaximum : ushort.MaxValue,
        MaximumQos = version == MqttProtocolVersion.V500 ? (MqttQualityOfService)ack.MaximumQoS : MqttQualityOfService.ExactlyOnce,
        RetainAvailable = version != MqttProtocolVersion.V500 || ack.RetainAvailable,
        SharedSubscriptionAvailable = version == MqttProtocolVersion.V500 && ack.SharedSubscriptionAvailable,
        MaximumPacketSize = ack.MaximumPacketSize is > 0 ? ack.MaximumPacketSize : null,
    };
}
