using Appliance.Inference.Generation;

namespace Appliance.Inference.Tests.Generation;

public sealed class SamplerTests
{
    // Probabilities 1/2, 1/4, 1/8, 1/16, 1/16 at tokens 3, 0, 4, 1, 2.
    private static readonly float[] Halving =
        [MathF.Log(0.25f), MathF.Log(0.0625f), MathF.Log(0.0625f), MathF.Log(0.5f), MathF.Log(0.125f)];

    [Fact]
    public void Greedy_takes_the_largest_logit_and_the_lowest_id_among_equals()
    {
        Assert.Equal(3, Sampler.ArgMax([0.1f, -2f, 0.5f, 0.9f, 0.9f]));
        Assert.Equal(1, new Sampler(3, SamplerSettings.Greedy).Sample([float.NegativeInfinity, 2f, 2f]));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(99UL)]
    public void Temperature_zero_is_greedy_whatever_the_seed_and_filters(ulong seed)
    {
        var sampler = new Sampler(5, new SamplerSettings { Temperature = 0, TopK = 3, TopP = 0.5, Seed = seed });

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(3, sampler.Sample(Halving));
        }

        Assert.True(sampler.Candidates.IsEmpty);
    }

    [Fact]
    public void Top_k_keeps_exactly_the_k_largest_with_renormalised_probabilities()
    {
        var sampler = new Sampler(5, new SamplerSettings { TopK = 3, Seed = 1 });

        sampler.Sample(Halving);

        Assert.Equal([3, 0, 4], Ids(sampler));
        AssertProbabilities([4 / 7.0, 2 / 7.0, 1 / 7.0], sampler);
    }

    [Fact]
    public void Top_k_breaks_ties_towards_the_lower_id()
    {
        var sampler = new Sampler(6, new SamplerSettings { TopK = 2, Seed = 1 });

        sampler.Sample([1f, 5f, 1f, 5f, 5f, 0f]);

        Assert.Equal([1, 3], Ids(sampler));
    }

    [Theory]
    [InlineData(0.45, new[] { 3 })]
    [InlineData(0.7, new[] { 3, 0 })]
    [InlineData(0.8, new[] { 3, 0, 4 })]
    [InlineData(0.9, new[] { 3, 0, 4, 1 })]
    [InlineData(1.0, new[] { 0, 1, 2, 3, 4 })]
    public void Top_p_keeps_the_smallest_most_likely_set_reaching_p(double topP, int[] expected)
    {
        var sampler = new Sampler(5, new SamplerSettings { TopP = topP, Seed = 1 });

        sampler.Sample(Halving);

        Assert.Equal(expected, Ids(sampler));
        var kept = expected.Sum(id => Math.Exp(Halving[id]));
        AssertProbabilities([.. expected.Select(id => Math.Exp(Halving[id]) / kept)], sampler);
    }

    [Fact]
    public void Top_p_after_top_k_measures_the_nucleus_within_the_k_kept()
    {
        // Within the top 3 the probabilities are 4/7, 2/7, 1/7: 4/7 < 0.6 so two tokens are needed.
        var sampler = new Sampler(5, new SamplerSettings { TopK = 3, TopP = 0.6, Seed = 1 });

        sampler.Sample(Halving);

        Assert.Equal([3, 0], Ids(sampler));
        AssertProbabilities([2 / 3.0, 1 / 3.0], sampler);
    }

    [Fact]
    public void Temperature_sharpens_or_flattens_the_distribution()
    {
        var sampler = new Sampler(5, new SamplerSettings { Temperature = 0.5, TopK = 2, Seed = 1 });

        sampler.Sample(Halving);

        // p ~ exp(logit / T): (1/2)^2 : (1/4)^2 = 4 : 1.
        AssertProbabilities([0.8, 0.2], sampler);
    }

    [Fact]
    public void Same_seed_gives_the_same_tokens_and_reset_restarts_the_stream()
    {
        var settings = new SamplerSettings { Temperature = 1, Seed = 42 };
        var first = new Sampler(5, settings);
        var second = new Sampler(5, settings);

        var a = Enumerable.Range(0, 50).Select(_ => first.Sample(Halving)).ToArray();
        var b = Enumerable.Range(0, 50).Select(_ => second.Sample(Halving)).ToArray();
        first.Reset(settings);
        var c = Enumerable.Range(0, 50).Select(_ => first.Sample(Halving)).ToArray();
        second.Reset(settings with { Seed = 43 });
        var d = Enumerable.Range(0, 50).Select(_ => second.Sample(Halving)).ToArray();

        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.NotEqual(a, d);
    }

    [Fact]
    public void Draws_follow_the_probabilities()
    {
        var sampler = new Sampler(5, new SamplerSettings { Seed = 2024 });
        var counts = new int[5];

        for (var i = 0; i < 20_000; i++)
        {
            counts[sampler.Sample(Halving)]++;
        }

        for (var id = 0; id < 5; id++)
        {
            Assert.InRange(counts[id] / 20_000.0, Math.Exp(Halving[id]) - 0.015, Math.Exp(Halving[id]) + 0.015);
        }
    }

    [Fact]
    public void NaN_logits_are_reported_with_the_token()
    {
        var sampler = new Sampler(3, new SamplerSettings { Seed = 1 });

        var error = Assert.Throws<InvalidOperationException>(() => sampler.Sample([0f, float.NaN, 1f]));

        Assert.Contains("NaN as the logit of token 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1, new[] { 0, 1, 2, 3, 4 })]
    [InlineData(0.2, new[] { 0, 3, 4 })]
    [InlineData(0.3, new[] { 0, 3 })]
    [InlineData(0.6, new[] { 3 })]
    [InlineData(1.0, new[] { 3 })]
    public void Min_p_drops_exactly_the_tokens_below_min_p_times_the_best(double minP, int[] expected)
    {
        // Relative to the best token (3) the probabilities are 0: 1/2, 4: 1/4, 1 and 2: 1/8.
        var sampler = new Sampler(5, new SamplerSettings { MinP = minP, Seed = 1 });

        sampler.Sample(Halving);

        Assert.Equal(expected, Ids(sampler));
        var kept = expected.Sum(id => Math.Exp(Halving[id]));
        AssertProbabilities([.. expected.Select(id => Math.Exp(Halving[id]) / kept)], sampler);
    }

    [Fact]
    public void Min_p_measures_against_the_best_of_the_top_k_kept()
    {
        var sampler = new Sampler(5, new SamplerSettings { TopK = 3, MinP = 0.3, Seed = 1 });

        sampler.Sample(Halving);

        Assert.Equal([3, 0], Ids(sampler));
        AssertProbabilities([2 / 3.0, 1 / 3.0], sampler);
    }

    [Fact]
    public void Min_p_applies_after_temperature()
    {
        // At T = 0.5 the ratios to the best square: 1, 1/4, 1/16, ... so min-p 0.2 keeps only tokens 3 and 0.
        var sampler = new Sampler(5, new SamplerSettings { Temperature = 0.5, MinP = 0.2, Seed = 1 });

        sampler.Sample(Halving);

        Assert.Equal([0, 3], Ids(sampler));
        AssertProbabilities([0.2, 0.8], sampler);
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_of_seen_tokens_as_hugging_face()
    {
        float[] logits = [2f, -1f, 0.5f, 3f, -0.25f, 0f];
        var sampler = new Sampler(6, new SamplerSettings { RepetitionPenalty = 1.3, Seed = 1 });
        sampler.Observe([0, 1, 1, 5]);

        sampler.Sample(logits);

        var candidates = sampler.Candidates.ToArray();
        Assert.Equal([2f / 1.3f, -1f * 1.3f, 0.5f, 3f, -0.25f, 0f], candidates.Select(c => c.Logit).ToArray());
    }

    [Fact]
    public void Repetition_penalty_changes_greedy_picks_and_reset_forgets_the_seen_tokens()
    {
        // 3 beats 2 by a little; once 3 is seen, 3 / 1.5 = 2 falls below 2.5.
        float[] logits = [0f, 1f, 2.5f, 3f];
        var settings = SamplerSettings.Greedy with { RepetitionPenalty = 1.5 };
        var sampler = new Sampler(4, settings);

        Assert.Equal(3, sampler.Sample(logits));
        sampler.Observe(3);
        Assert.Equal(2, sampler.Sample(logits));
        sampler.Reset(settings);
        Assert.Equal(3, sampler.Sample(logits));
    }

    [Fact]
    public void Observing_a_token_outside_the_vocabulary_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(4, SamplerSettings.Greedy).Observe(4));
    }

    [Fact]
    public void Temperature_zero_gives_the_argmax_whatever_min_p_and_the_seed()
    {
        var greedy = new Sampler(5, SamplerSettings.Greedy);
        var zero = new Sampler(5, new SamplerSettings { Temperature = 0, MinP = 0.9, TopP = 0.3, Seed = 12345 });
        float[] logits = [0.3f, 2.2f, -1f, 2.1f, 0f];

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(greedy.Sample(logits), zero.Sample(logits));
        }

        Assert.Equal(1, zero.Sample(logits));
    }

    [Theory]
    [InlineData(-0.1, 0, 1.0, "Temperature")]
    [InlineData(double.PositiveInfinity, 0, 1.0, "Temperature")]
    [InlineData(1.0, -1, 1.0, "TopK")]
    [InlineData(1.0, 0, 0.0, "TopP")]
    [InlineData(1.0, 0, 1.5, "TopP")]
    [InlineData(1.0, 0, 1.0, "MinP", -0.01)]
    [InlineData(1.0, 0, 1.0, "MinP", 1.01)]
    [InlineData(1.0, 0, 1.0, "RepetitionPenalty", 0.5, 0.0)]
    [InlineData(1.0, 0, 1.0, "RepetitionPenalty", 0.5, -1.0)]
    [InlineData(1.0, 0, 1.0, "RepetitionPenalty", 0.5, double.NaN)]
    public void Out_of_range_settings_are_rejected_by_name(double temperature, int topK, double topP, string name, double minP = 0, double repetitionPenalty = 1)
    {
        var settings = new SamplerSettings { Temperature = temperature, TopK = topK, TopP = topP, MinP = minP, RepetitionPenalty = repetitionPenalty };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(4, settings));

        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void Wrong_logit_count_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Sampler(4, SamplerSettings.Greedy).Sample([1f, 2f]));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(40, 1.0)]
    [InlineData(0, 0.9)]
    [InlineData(40, 0.9)]
    [InlineData(0, 1.0, 0.05, 1.2)]
    [InlineData(40, 0.9, 0.05, 1.2)]
    public void Sampling_allocates_nothing(int topK, double topP, double minP = 0, double repetitionPenalty = 1)
    {
        var logits = new float[5000];
        var random = new Random(3);
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)(random.NextDouble() * 10);
        }

        var sampler = new Sampler(logits.Length, new SamplerSettings { TopK = topK, TopP = topP, MinP = minP, RepetitionPenalty = repetitionPenalty, Seed = 5 });
        sampler.Observe(sampler.Sample(logits));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            sampler.Observe(sampler.Sample(logits));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static int[] Ids(Sampler sampler) => [.. sampler.Candidates.ToArray().Select(c => c.TokenId)];

    private static void AssertProbabilities(double[] expected, Sampler sampler)
    {
        var actual = sampler.Candidates.ToArray().Select(c => c.Probability).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }
}
