using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class GenerationTallyTests
{
    [Fact]
    public void Rates_are_total_tokens_over_total_time_and_the_first_token_time_is_the_mean()
    {
        var tally = new GenerationTally(promptTokens: 100);
        tally.Add(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(110), TimeSpan.FromSeconds(1), decodeSteps: 10, allocatedBytesPerDecodedToken: 0);
        tally.Add(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(310), TimeSpan.FromSeconds(3), decodeSteps: 10, allocatedBytesPerDecodedToken: 8);

        var measurement = tally.Measurement;

        Assert.Equal(200 / 0.4, measurement.PrefillTokensPerSecond, 9);
        Assert.Equal(20 / 4.0, measurement.DecodeTokensPerSecond, 9);
        Assert.Equal(210, measurement.TimeToFirstTokenMilliseconds, 9);
        Assert.Equal(8, measurement.AllocatedBytesPerDecodedToken);
    }

    [Fact]
    public void Runs_of_one_token_have_no_decode_rate()
    {
        var tally = new GenerationTally(promptTokens: 4);
        tally.Add(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(3), TimeSpan.Zero, decodeSteps: 0, allocatedBytesPerDecodedToken: 0);

        Assert.Equal(0, tally.Measurement.DecodeTokensPerSecond);
    }

    [Fact]
    public void An_empty_tally_has_no_measurement() =>
        Assert.Throws<InvalidOperationException>(() => new GenerationTally(promptTokens: 4).Measurement);
}
