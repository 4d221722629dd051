using Appliance.State;
using Appliance.TestSupport;

namespace Appliance.Tests.State;

public sealed class WorkerLivenessTests
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public void An_idle_worker_is_healthy_however_long_it_waits()
    {
        var clock = new ManualTimeProvider();
        var liveness = new WorkerLiveness(clock);

        clock.Advance(TimeSpan.FromHours(5));

        Assert.True(liveness.IsIdle);
        Assert.True(liveness.IsHealthy(StallLimit));
    }

    [Fact]
    public void A_working_worker_is_healthy_only_while_it_makes_progress()
    {
        var clock = new ManualTimeProvider();
        var liveness = new WorkerLiveness(clock);
        liveness.MarkProgress();

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(liveness.IsHealthy(StallLimit));
        liveness.MarkProgress();
        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.False(liveness.IsIdle);
        Assert.Equal(TimeSpan.FromSeconds(31), liveness.SinceLastProgress);
        Assert.False(liveness.IsHealthy(StallLimit));
    }

    [Fact]
    public void Going_idle_after_a_stall_makes_it_healthy_again()
    {
        var clock = new ManualTimeProvider();
        var liveness = new WorkerLiveness(clock);
        liveness.MarkProgress();
        clock.Advance(TimeSpan.FromMinutes(2));

        liveness.MarkIdle();

        Assert.True(liveness.IsHealthy(StallLimit));
        Assert.Equal(TimeSpan.Zero, liveness.SinceLastProgress);
    }
}
