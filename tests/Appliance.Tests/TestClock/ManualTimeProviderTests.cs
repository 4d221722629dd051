using Appliance.TestSupport;

namespace Appliance.Tests.TestClock;

/// <summary>The virtual clock other tests rely on to drive timers without sleeping.</summary>
public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Time_moves_only_when_advanced()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var stamp = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(start.AddMilliseconds(1500), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.GetElapsedTime(stamp));
    }

    [Fact]
    public void Periodic_and_one_shot_timers_fire_at_their_due_times_in_order()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<(string Name, TimeSpan At)>();
        var origin = clock.GetTimestamp();
        using var periodic = clock.CreateTimer(_ => fired.Add(("tick", clock.GetElapsedTime(origin))), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var once = clock.CreateTimer(_ => fired.Add(("once", clock.GetElapsedTime(origin))), null, TimeSpan.FromMilliseconds(1500), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(
            [("tick", TimeSpan.FromSeconds(1)), ("once", TimeSpan.FromMilliseconds(1500)), ("tick", TimeSpan.FromSeconds(2)), ("tick", TimeSpan.FromSeconds(3))],
            fired);
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public void A_disposed_or_stopped_timer_never_fires()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        using var stopped = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        disposed.Dispose();
        stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task Task_delay_given_the_clock_completes_when_the_clock_passes_it()
    {
        var clock = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(5), clock);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
