using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class AllocationCounterTests
{
    [Fact]
    public void Allocation_counts_from_the_third_token_on()
    {
        var counter = new AllocationCounter(capacity: 8);
        GC.KeepAlive(new byte[100_000]);
        Assert.True(counter.Record(1));
        GC.KeepAlive(new byte[100_000]);
        Assert.True(counter.Record(2));
        Assert.True(counter.Record(3));
        Assert.Equal(0, counter.BytesPerSteadyToken);

        GC.KeepAlive(new byte[4_000]);
        counter.Record(4);

        Assert.InRange(counter.BytesPerSteadyToken, 4_000, 50_000);
    }

    [Fact]
    public void Restart_forgets_the_previous_run()
    {
        var counter = new AllocationCounter(capacity: 4);
        for (var token = 0; token < 4; token++)
        {
            GC.KeepAlive(new byte[10_000]);
            counter.Record(token);
        }

        counter.Restart();

        Assert.Equal(0, counter.BytesPerSteadyToken);
    }
}
