namespace Appliance.Mqtt;

/// <summary>Reconnection after a lost connection: exponential backoff from <see cref="InitialDelay"/>, capped, with random jitter.</summary>
public sealed class MqttReconnectOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaximumDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Each delay is shortened by up to this fraction at random (0..1), so many devices do not reconnect in step.</summary>
    public double JitterFraction { get; set; } = 0.2;
}
