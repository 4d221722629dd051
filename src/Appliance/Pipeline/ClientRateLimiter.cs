namespace Appliance.Pipeline;

/// <summary>
/// A token bucket per client (for MQTT: per reply topic): each may bring <see cref="RequestLimits.RatePerReplyTopic"/> requests a
/// second, in bursts of up to <see cref="RequestLimits.BurstPerReplyTopic"/>; beyond that its requests get `busy`,
/// so one flooding client cannot take the intake from the others. Buckets of topics that fell silent (full again)
/// are forgotten once many topics were seen, so memory stays bounded.
/// </summary>
internal sealed class ClientRateLimiter
{
    private const int ForgetAbove = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _time;

    /// <summary>Safe to call from several threads (the intake, the panel).</summary>
    public ClientRateLimiter(double ratePerSecond, int burst, TimeProvider time)
    {
        _rate = ratePerSecond;
        _burst = burst;
        _time = time;
    }

    /// <summary>Takes a token for <paramref name="clientKey"/>; false when its bucket is empty.</summary>
    public bool TryTake(string clientKey)
    {
        lock (_gate)
        {
            return TakeLocked(clientKey);
        }
    }

    private bool TakeLocked(string clientKey)
    {
        var now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(clientKey, out var bucket))
        {
            if (_buckets.Count >= ForgetAbove)
            {
                ForgetFullBuckets(now);
            }

            bucket = new Bucket(_burst, now);
        }

        var tokens = Math.Min(_burst, bucket.Tokens + (_time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _rate));
        var granted = tokens >= 1;
        _buckets[clientKey] = new Bucket(granted ? tokens - 1 : tokens, now);
        return granted;
    }

    private void ForgetFullBuckets(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.Tokens + (_time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _rate) >= _burst)
            {
                _buckets.Remove(key);
            }
        }
    }

    private readonly record struct Bucket(double Tokens, long Stamp);
}
