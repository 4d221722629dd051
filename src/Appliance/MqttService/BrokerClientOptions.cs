using Appliance.Mqtt;

namespace Appliance.MqttService;

/// <summary>The MQTT client settings the service connects with, from <see cref="BrokerOptions"/>.</summary>
internal static class BrokerClientOptions
{
    /// <summary>
    /// The packet size announced to the broker: well above <paramref name="maxPayloadBytes"/>, so an oversized request
    /// still arrives and is answered `too_large`; bounded, so one message cannot make the service hold megabytes.
    /// A 5.0 broker drops larger messages for this subscriber without telling their sender.
    /// </summary>
    public static int MaximumPacketSize(int maxPayloadBytes) =>
        (int)Math.Min(BrokerConnectionOptions.MaximumPacketSizeLimit, Math.Max(1024L * 1024, (4L * maxPayloadBytes) + 65536));

    /// <param name="will">Published by the broker when the service vanishes (the retained offline status).</param>
    /// <param name="maxPayloadBytes">The largest request accepted, so a too-large request is still received and answered.</param>
    public static BrokerConnectionOptions Create(BrokerOptions broker, string deviceId, MqttMessage will, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var address = BrokerAddress.Parse(broker.Url);
        return new BrokerConnectionOptions
        {
            Host = address.Host,
            Port = address.Port,
            ClientId = broker.ClientId.Length > 0 ? broker.ClientId : $"appliance-{deviceId}",
            ProtocolVersion = MqttProtocolVersion.V500,
            AllowProtocolFallback = true,
            // Resume the session the broker kept: requests sent while the service was away (or restarting) are delivered.
            CleanStart = false,
            SessionExpirySeconds = broker.SessionExpirySeconds,
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
            MaximumPacketSize = MaximumPacketSize(maxPayloadBytes),
            Reconnect = new MqttReconnectOptions
            {
                InitialDelay = TimeSpan.FromSeconds(broker.ReconnectInitialDelaySeconds),
                MaximumDelay = TimeSpan.FromSeconds(broker.ReconnectMaximumDelaySeconds),
            },
        };
    }
}
