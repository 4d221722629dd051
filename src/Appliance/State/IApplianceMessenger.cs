namespace Appliance.State;

/// <summary>Publishes on the appliance's MQTT base topic, for the parts that observe the service (panel, telemetry).</summary>
public interface IApplianceMessenger
{
    /// <summary>`appliance/&lt;device-id&gt;`, without a trailing slash.</summary>
    string BaseTopic { get; }

    /// <summary>
    /// Publishes <paramref name="payload"/> (JSON) on `BaseTopic/relativeTopic` at QoS 0. Returns false, without throwing,
    /// when the broker is not connected: observers lose a sample, never the service.
    /// </summary>
    ValueTask<bool> PublishAsync(string relativeTopic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken);
}
