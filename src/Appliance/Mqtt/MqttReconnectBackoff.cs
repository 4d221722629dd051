namespace Appliance.Mqtt;

/// <summary>Delay before reconnect attempt n: min(maximum, initial * 2^n), less a random jitter share.</summary>
public sealed class MqttReconnectBackoff
{
    private readonly MqttReconnectOptions _options;
    private readonly Random _random;

    public MqttReconnectBackoff(MqttReconnectOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _random = random;
    }

    public TimeSpan GetDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var initial = _options.InitialDelay.TotalMilliseconds;
        var maximum = _options.MaximumDelay.TotalMilliseconds;

        // Past 2^30 the cap has long been reached; stop doubling before the double overflows.
        var exponential = Math.Min(maximum, initial * Math.Pow(2, Math.Min(attempt, 30)));
        var jitter = _options.JitterFraction * _random.NextDouble();
        return TimeSpan.FromMilliseconds(exponential * (1 - jitter));
    }
}
