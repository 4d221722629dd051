using Appliance.Quantize.Evaluation;

namespace Appliance.Quantize.Tests.Evaluation;

public sealed class DivergenceStatisticsTests
{
    [Fact]
    public void Identical_logits_diverge_by_nothing_and_always_agree()
    {
        var statistics = new DivergenceStatistics();
        float[] logits = [1f, 3f, -2f, 0.5f];

        statistics.Add(logits, logits, nextToken: 0);
        statistics.Add(logits, logits, nextToken: 3);
        var figures = statistics.Summarize();

        Assert.Equal(2, figures.Positions);
        Assert.Equal(0, figures.MeanKl, 12);
        Assert.Equal(0, figures.MaxKl, 12);
        Assert.Equal(1, figures.TopOneAgreement);
        Assert.Equal(figures.ReferencePerplexity, figures.CandidatePerplexity, 12);
        Assert.Equal(0, figures.LogPerplexityRatio, 12);
        Assert.Equal(0, figures.RmsProbabilityChange, 12);
    }

    [Fact]
    public void Figures_match_their_definitions_on_a_two_token_vocabulary()
    {
        // Reference p = (1/4, 3/4), candidate q = (1/2, 1/2): different top token, next token 1.
        var statistics = new DivergenceStatistics();

        statistics.Add([0f, MathF.Log(3f)], [0f, 0f], nextToken: 1);
        var figures = statistics.Summarize();

        Assert.Equal((0.25 * Math.Log(0.5)) + (0.75 * Math.Log(1.5)), figures.MeanKl, 6);
        Assert.Equal(0, figures.TopOneAgreement);
        Assert.Equal(4.0 / 3.0, figures.ReferencePerplexity, 6);
        Assert.Equal(2.0, figures.CandidatePerplexity, 6);
        Assert.Equal(Math.Log(1.5), figures.LogPerplexityRatio, 6);
        Assert.Equal(0.25, figures.RmsProbabilityChange, 6);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_positions()
    {
        var statistics = new DivergenceStatistics();
        for (var i = 1; i <= 200; i++)
        {
            // KL of (1, 0) against (1 - e, e) grows with e: positions get increasing divergences.
            var e = i / 1000f;
            statistics.Add([10f, -10f], [MathF.Log(1 - e), MathF.Log(e)], nextToken: 0);
        }

        var figures = statistics.Summarize();
        double Kl(int i) => -Math.Log(1 - (i / 1000.0));

        Assert.Equal(Kl(100), figures.MedianKl, 4);
        Assert.Equal(Kl(198), figures.P99Kl, 4);
        Assert.Equal(Kl(200), figures.MaxKl, 4);
    }

    [Fact]
    public void Models_with_different_vocabularies_cannot_be_compared()
    {
        var error = Assert.Throws<ArgumentException>(() => new DivergenceStatistics().Add([1f, 2f], [1f, 2f, 3f], 0));

        Assert.Contains("2 vs 3", error.Message, StringComparison.Ordinal);
    }
}
