using Appliance.Mqtt;
using Appliance.Mqtt.Packets;

namespace Appliance.Api;

/// <summary>The MQTT client settings the service connects with, from <see cref="BrokerOptions"/>.</summary>
internal static class BrokerClientOptions
{
    /// <summary>How long the broker keeps the service's session (subscriptions, QoS 1 requests) across a short outage.</summary>
    public const uint SessionExpirySeconds = 300;

    /// <param name="will">Published by the broker when the service vanishes (the retained offline status).</param>
    /// <param name="maxPayloadBytes">The largest request accepted, so a too-large request is still received and answered.</param>
    public static MqttClientOptions Create(BrokerOptions broker, string deviceId, MqttApplicationMessage will, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var address = BrokerAddress.Parse(broker.Url);
        return new MqttClientOptions
        {
            Host = address.Host,
            Port = address.Port,
            ClientId = broker.ClientId.Length > 0 ? broker.ClientId : $"appliance-{deviceId}",
            ProtocolVersion = MqttProtocolVersion.V500,
            AllowProtocolFallback = true,
            CleanStart = true,
            SessionExpirySeconds = SessionExpirySeconds,
            KeepAliveSeconds = broker.KeepAliveSeconds,
            UserName = string.IsNullOrEmpty(broker.Username) ? null : broker.Username,
            Password = broker.Password,
            Will = will,
            Tls = address.UseTls
                ? new MqttTlsOptions
                {
                    CaFile = broker.CaFile,
                    ClientCertificateFile = broker.ClientCertificateFile,
                    ClientKeyFile = broker.ClientKeyFile,
                }
                : null,
            MaximumPacketSize = Math.Max(1024 * 1024, (2 * maxPayloadBytes) + 4096),
            Reconnect = new MqttReconnectOptions
            {
                InitialDelay = TimeSpan.FromSeconds(broker.ReconnectInitialDelaySeconds),
                MaximumDelay = TimeSpan.FromSeconds(broker.ReconnectMaximumDelaySeconds),
            },
        };
    }
}
