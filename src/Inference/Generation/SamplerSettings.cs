namespace Appliance.Inference.Generation;

/// <summary>
/// How the next token is chosen from the logits. Temperature 0 (or top-k 1) is greedy: always the most likely token.
/// Otherwise the candidates are the top-k tokens (0 = all), cut to the smallest prefix whose probability reaches
/// top-p, then those below min-p times the best token's probability are dropped, and one is drawn with the seeded
/// generator. A repetition penalty other than 1 first pushes down the logits of tokens already in the sequence.
/// </summary>
public sealed record SamplerSettings
{
    public static SamplerSettings Greedy { get; } = new() { Temperature = 0 };

    /// <summary>Divides the logits before softmax; 0 = greedy.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens; 0 = no limit.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probabilities sum to at least this; 1 = no limit.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Drop tokens whose probability is below this fraction of the most likely token's; 0 = no limit.</summary>
    public double MinP { get; init; }

    /// <summary>
    /// Hugging Face's repetition penalty: the logit of every token already in the prompt or output is divided by this
    /// when positive and multiplied by it otherwise; 1 = off. Applies to greedy picks too.
    /// </summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Seed of the sampling random stream; the same seed and logits give the same tokens.</summary>
    public ulong Seed { get; init; }

    public bool IsGreedy => Temperature == 0 || TopK == 1;

    /// <summary>Throws naming the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a finite number >= 0 (0 = greedy).");
        }

        if (TopK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be >= 0 (0 = no limit).");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1] (1 = no limit).");
        }

        if (!(MinP >= 0 && MinP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "min_p must be in [0, 1] (0 = no limit).");
        }

        if (!(RepetitionPenalty > 0) || double.IsInfinity(RepetitionPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "repetition_penalty must be a finite number > 0 (1 = off).");
        }
    }
}
