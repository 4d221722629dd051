using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class GenerationTallyTests
{
    [Fact]
    public void Rates_are_total_tokens_over_total_time_and_the_first_token_time_is_the_mean()
    {
        var tally = new GenerationTally(promptTokens: 100);
        tally.Add(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(110), Steps(10, 100), allocatedBytesPerDecodedToken: 0);
        tally.Add(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(310), Steps(10, 300), allocatedBytesPerDecodedToken: 8);

        var measurement = tally.Measurement;

        Assert.Equal(200 / 0.4, measurement.PrefillTokensPerSecond, 9);
        Assert.Equal(20 / 4.0, measurement.DecodeTokensPerSecond, 9);
        Assert.Equal(200, measurement.DecodeStepMedianMilliseconds, 9);
        Assert.Equal(210, measurement.TimeToFirstTokenMilliseconds, 9);
        Assert.Equal(8, measurement.AllocatedBytesPerDecodedToken);
    }

    [Fact]
    public void Runs_of_one_token_have_no_decode_rate()
    {
        var tally = new GenerationTally(promptTokens: 4);
        tally.Add(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3), [], allocatedBytesPerDecodedToken: 0);

        Assert.Equal(0, tally.Measurement.DecodeTokensPerSecond);
        Assert.Equal(0, tally.Measurement.DecodeStepMedianMilliseconds);
    }

    [Fact]
    public void A_stalled_step_slows_the_rate_but_not_the_median_step()
    {
        var tally = new GenerationTally(promptTokens: 4);
        TimeSpan[] steps = [.. Steps(4, 5), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(6)];
        tally.Add(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3), steps, allocatedBytesPerDecodedToken: 0);

        var measurement = tally.Measurement;

        Assert.Equal(6 / 0.076, measurement.DecodeTokensPerSecond, 9);
        Assert.Equal(5, measurement.DecodeStepMedianMilliseconds, 9);
    }

    [Fact]
    public void The_median_of_an_even_count_of_steps_is_the_mean_of_the_middle_two()
    {
        var tally = new GenerationTally(promptTokens: 4);
        tally.Add(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3), [TimeSpan.FromMilliseconds(9), TimeSpan.FromMilliseconds(4)], allocatedBytesPerDecodedToken: 0);
        tally.Add(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3), [TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1)], allocatedBytesPerDecodedToken: 0);

        Assert.Equal(4.5, tally.Measurement.DecodeStepMedianMilliseconds, 9);
    }

    [Fact]
    public void An_empty_tally_has_no_measurement() =>
        Assert.Throws<InvalidOperationException>(() => new GenerationTally(promptTokens: 4).Measurement);

    private static TimeSpan[] Steps(int count, double milliseconds) => Enumerable.Repeat(TimeSpan.FromMilliseconds(milliseconds), count).ToArray();
}
