using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

public sealed class MqttReconnectBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_without_jitter()
    {
        var backoff = new MqttReconnectBackoff(Options(jitter: 0), new Random(1));
        var delays = Enumerable.Range(0, 8).Select(a => backoff.GetDelay(a).TotalMilliseconds).ToArray();
        Assert.Equal([100, 200, 400, 800, 1600, 3000, 3000, 3000], delays);
        Assert.Equal(3000, backoff.GetDelay(int.MaxValue).TotalMilliseconds);
    }

    [Fact]
    public void Jitter_shortens_each_delay_by_the_drawn_share()
    {
        var backoff = new MqttReconnectBackoff(Options(jitter: 0.5), new FixedRandom(0.25));
        // 800 ms less 0.5 * 0.25 of it.
        Assert.Equal(700, backoff.GetDelay(3).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays_within_the_jitter_band()
    {
        var first = new MqttReconnectBackoff(Options(jitter: 0.3), new Random(42));
        var second = new MqttReconnectBackoff(Options(jitter: 0.3), new Random(42));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var delay = first.GetDelay(attempt);
            Assert.Equal(delay, second.GetDelay(attempt));
            var full = Math.Min(3000, 100 * Math.Pow(2, attempt));
            Assert.InRange(delay.TotalMilliseconds, full * 0.7, full);
        }
    }

    private static MqttReconnectOptions Options(double jitter) => new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaximumDelay = TimeSpan.FromMilliseconds(3000),
        JitterFraction = jitter,
    };

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
