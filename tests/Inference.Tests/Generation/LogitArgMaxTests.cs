using Appliance.Inference.Generation;

namespace Appliance.Inference.Tests.Generation;

/// <summary>The SIMD greedy pick against the plain scan it replaced, at every length around the vector width.</summary>
public sealed class LogitArgMaxTests
{
    [Fact]
    public void Matches_a_plain_scan_at_every_length_and_maximum_position()
    {
        var random = new Random(17);
        for (var length = 1; length <= 80; length++)
        {
            for (var position = 0; position < length; position++)
            {
                var logits = RandomLogits(random, length);
                logits[position] = 100f;
                Assert.Equal(position, Sampler.ArgMax(logits));
            }
        }
    }

    [Theory]
    [InlineData(50257)]
    [InlineData(151936)]
    public void Matches_a_plain_scan_on_vocabulary_sized_rows(int vocabulary)
    {
        var random = new Random(vocabulary);
        for (var row = 0; row < 20; row++)
        {
            var logits = RandomLogits(random, vocabulary);
            Assert.Equal(PlainScan(logits), Sampler.ArgMax(logits));
        }
    }

    [Theory]
    [InlineData(3, new[] { 1, 2 })]
    [InlineData(70, new[] { 5, 9, 40, 69 })]
    [InlineData(70, new[] { 66, 67 })]
    public void Ties_go_to_the_lowest_id(int length, int[] maxima)
    {
        var logits = RandomLogits(new Random(length), length);
        foreach (var position in maxima)
        {
            logits[position] = 50f;
        }

        Assert.Equal(maxima[0], Sampler.ArgMax(logits));
    }

    [Fact]
    public void Negative_and_positive_zero_are_equal_so_the_lower_id_wins()
    {
        var logits = Enumerable.Repeat(-1f, 40).ToArray();
        logits[3] = -0f;
        logits[30] = 0f;

        Assert.Equal(3, Sampler.ArgMax(logits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(33)]
    public void All_negative_infinity_picks_token_zero(int length) =>
        Assert.Equal(0, Sampler.ArgMax(Enumerable.Repeat(float.NegativeInfinity, length).ToArray()));

    [Theory]
    [InlineData(64, 0)]
    [InlineData(64, 37)]
    [InlineData(67, 66)]
    [InlineData(5, 4)]
    public void A_NaN_anywhere_is_reported_with_the_first_NaN_token(int length, int position)
    {
        var logits = RandomLogits(new Random(position), length);
        logits[position] = float.NaN;
        if (position + 2 < length)
        {
            logits[position + 2] = float.NaN;
        }

        var error = Assert.Throws<InvalidOperationException>(() => Sampler.ArgMax(logits));

        Assert.Contains($"NaN as the logit of token {position};", error.Message, StringComparison.Ordinal);
    }

    private static float[] RandomLogits(Random random, int length)
    {
        var logits = new float[length];
        for (var i = 0; i < length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 40) - 20);
        }

        return logits;
    }

    private static int PlainScan(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
