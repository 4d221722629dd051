namespace Appliance.Inference.Generation;

/// <summary>
/// Where a request's time went. The first generated token comes from the prefill pass; every later token costs
/// one decode step (a forward pass over one token plus sampling). A generation cut short (cancelled, timed out) reports
/// what it finished: no first token means zero prefill and time to first token.
/// </summary>
public sealed class GenerationTimings
{
    private readonly TimeSpan[] _decodeSteps;
    private readonly int _decodeStepCount;

    internal GenerationTimings(int promptTokens, int cachedPromptTokens, TimeSpan prefill, TimeSpan timeToFirstToken, TimeSpan[] decodeSteps, int decodeStepCount, TimeSpan total)
    {
        PromptTokens = promptTokens;
        CachedPromptTokens = cachedPromptTokens;
        Total = total;
        Prefill = prefill;
        TimeToFirstToken = timeToFirstToken;
        _decodeSteps = decodeSteps;
        _decodeStepCount = decodeStepCount;
    }

    public int PromptTokens { get; }

    /// <summary>Leading prompt tokens whose keys and values a kept prefix supplied; only the rest went through prefill.</summary>
    public int CachedPromptTokens { get; }

    /// <summary>The forward pass over the prompt.</summary>
    public TimeSpan Prefill { get; }

    /// <summary>From the start of the request until the first token was chosen (prefill + first sampling).</summary>
    public TimeSpan TimeToFirstToken { get; }

    /// <summary>From the start of the request until generation ended.</summary>
    public TimeSpan Total { get; }

    /// <summary>Each decode step in order.</summary>
    public ReadOnlySpan<TimeSpan> DecodeSteps => _decodeSteps.AsSpan(0, _decodeStepCount);

    public TimeSpan Decode
    {
        get
        {
            var total = TimeSpan.Zero;
            foreach (var step in DecodeSteps)
            {
                total += step;
            }

            return total;
        }
    }

    /// <summary>Prompt tokens the prefill pass ran (cached ones excluded) per second.</summary>
    public double PrefillTokensPerSecond => Rate(PromptTokens - CachedPromptTokens, Prefill);

    public double DecodeTokensPerSecond => Rate(_decodeStepCount, Decode);

    private static double Rate(int tokens, TimeSpan time) => time > TimeSpan.Zero ? tokens / time.TotalSeconds : 0;
}
