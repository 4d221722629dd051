using Appliance.Panel;

namespace Appliance.Tests.Panel;

public sealed class LedPatternTests
{
    [Fact]
    public void Off_and_solid_never_change()
    {
        Assert.False(LedPattern.Off.IsOn(TimeSpan.FromHours(1)));
        Assert.True(LedPattern.Solid.IsOn(TimeSpan.Zero));
        Assert.Null(LedPattern.Off.NextChange(TimeSpan.Zero));
        Assert.Null(LedPattern.Solid.NextChange(TimeSpan.FromDays(3)));
    }

    [Fact]
    public void Blinks_alternate_at_their_rate()
    {
        Assert.Equal([(0, true), (500, false), (1000, true), (1500, false), (2000, true)], Transitions(LedPattern.SlowBlink, 2000));
        Assert.Equal([(0, true), (125, false), (250, true), (375, false), (500, true)], Transitions(LedPattern.FastBlink, 500));
    }

    [Fact]
    public void Heartbeat_is_two_short_pulses_every_two_seconds()
    {
        Assert.Equal([(0, true), (100, false), (250, true), (350, false), (2000, true), (2100, false)], Transitions(LedPattern.Heartbeat, 2100));
    }

    [Fact]
    public void Error_codes_blink_their_number_then_pause()
    {
        Assert.Equal([(0, true), (250, false), (1750, true)], Transitions(LedPattern.ErrorCode(1), 1750));
        Assert.Equal([(0, true), (250, false), (500, true), (750, false), (2250, true)], Transitions(LedPattern.ErrorCode(2), 2250));
        Assert.Equal(
            [(0, true), (250, false), (500, true), (750, false), (1000, true), (1250, false), (2750, true)],
            Transitions(LedPattern.ErrorCode(3), 2750));
    }

    [Fact]
    public void The_level_between_changes_is_the_one_the_last_change_set()
    {
        Assert.True(LedPattern.SlowBlink.IsOn(TimeSpan.FromMilliseconds(499.9)));
        Assert.False(LedPattern.SlowBlink.IsOn(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), LedPattern.SlowBlink.NextChange(TimeSpan.FromMilliseconds(1200)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Error_codes_are_1_to_9(int code) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LedPattern.ErrorCode(code));

    /// <summary>Walks the pattern by its own NextChange, as the animator does.</summary>
    private static List<(double Ms, bool On)> Transitions(LedPattern pattern, double untilMs)
    {
        var transitions = new List<(double, bool)> { (0, pattern.IsOn(TimeSpan.Zero)) };
        var at = TimeSpan.Zero;
        while (pattern.NextChange(at) is { } next && next.TotalMilliseconds <= untilMs)
        {
            Assert.NotEqual(pattern.IsOn(at), pattern.IsOn(next));
            transitions.Add((next.TotalMilliseconds, pattern.IsOn(next)));
            at = next;
        }

        return transitions;
    }
}
