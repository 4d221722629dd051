using Appliance.Mqtt.Packets;

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

    internal static MqttConnectionInfo From(ConnAckPacket ack, MqttProtocolVersion version, MqttClientOptions options, string clientId)
    {
        var properties = ack.Properties;
        return new MqttConnectionInfo
        {
            ProtocolVersion = version,
            SessionPresent = ack.SessionPresent,
            ClientId = properties.AssignedClientIdentifier ?? clientId,
            KeepAliveSeconds = properties.ServerKeepAlive ?? options.KeepAliveSeconds,
            SessionExpirySeconds = version == MqttProtocolVersion.V500 ? properties.SessionExpiryInterval ?? options.SessionExpirySeconds : 0,
            ReceiveMaximum = properties.ReceiveMaximum ?? ushort.MaxValue,
            MaximumQos = properties.MaximumQos ?? MqttQualityOfService.ExactlyOnce,
            RetainAvailable = properties.RetainAvailable ?? true,
            MaximumPacketSize = properties.MaximumPacketSize,
        };
    }
}
