namespace Appliance.Quantize.Evaluation;

/// <summary>
/// Per-position comparison of a candidate model's next-token distribution with a reference's, accumulated into the
/// figures llama.cpp's perplexity tool reports with --kl-divergence: KL(reference || candidate) per position, whether
/// both pick the same top token, each model's negative log-likelihood of the actual next token (for perplexity), and
/// the change in that token's probability.
/// </summary>
internal sealed class DivergenceStatistics
{
    private readonly List<double> _divergences = [];
    private double _referenceNll;
    private double _candidateNll;
    private double _squaredProbabilityChange;
    private int _sameTop;

    public int Count => _divergences.Count;

    /// <param name="reference">The reference's logits for one position.</param>
    /// <param name="candidate">The candidate's logits for the same position.</param>
    /// <param name="nextToken">The token that actually follows in the text.</param>
    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<float> candidate, int nextToken)
    {
        if (reference.Length != candidate.Length)
        {
            throw new ArgumentException($"The models disagree on the vocabulary size: {reference.Length} vs {candidate.Length} logits.", nameof(candidate));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(nextToken);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nextToken, reference.Length);
        var (referenceMax, referenceTop) = Max(reference);
        var (candidateMax, candidateTop) = Max(candidate);
        var referenceLogSum = LogSumExp(reference, referenceMax);
        var candidateLogSum = LogSumExp(candidate, candidateMax);

        // KL = sum p_ref * (log p_ref - log p_cand), in float64 over the whole vocabulary.
        double divergence = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var referenceLog = reference[i] - referenceMax - referenceLogSum;
            var candidateLog = candidate[i] - candidateMax - candidateLogSum;
            divergence += Math.Exp(referenceLog) * (referenceLog - candidateLog);
        }

        var referenceNextLog = reference[nextToken] - referenceMax - referenceLogSum;
        var candidateNextLog = candidate[nextToken] - candidateMax - candidateLogSum;
        _divergences.Add(divergence);
        _referenceNll -= referenceNextLog;
        _candidateNll -= candidateNextLog;
        var change = Math.Exp(candidateNextLog) - Math.Exp(referenceNextLog);
        _squaredProbabilityChange += change * change;
        _sameTop += referenceTop == candidateTop ? 1 : 0;
    }

    public FidelityFigures Summarize()
    {
        var n = Count;
        if (n == 0)
        {
            throw new InvalidOperationException("No positions were scored.");
        }

        var sorted = _divergences.Order().ToArray();
        var mean = sorted.Average();
        var variance = n > 1 ? sorted.Sum(d => (d - mean) * (d - mean)) / (n - 1) : 0;
        return new FidelityFigures(
            Positions: n,
            ReferencePerplexity: Math.Exp(_referenceNll / n),
            CandidatePerplexity: Math.Exp(_candidateNll / n),
            LogPerplexityRatio: (_candidateNll - _referenceNll) / n,
            MeanKl: mean,
            MeanKlStandardError: Math.Sqrt(variance / n),
            MedianKl: Percentile(sorted, 0.5),
            P99Kl: Percentile(sorted, 0.99),
            MaxKl: sorted[^1],
            TopOneAgreement: (double)_sameTop / n,
            RmsProbabilityChange: Math.Sqrt(_squaredProbabilityChange / n));
    }

    // Nearest rank: the smallest value with at least fraction p of the values at or below it.
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static (float Max, int Index) Max(ReadOnlySpan<float> logits)
    {
        var index = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[index])
            {
                index = i;
            }
        }

        return (logits[index], index);
    }

    private static double LogSumExp(ReadOnlySpan<float> logits, float max)
    {
        double sum = 0;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        return Math.Log(sum);
    }
}
