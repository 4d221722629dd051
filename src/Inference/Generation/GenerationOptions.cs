namespace Appliance.Inference.Generation;

/// <summary>One generation request's limits and sampling.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate; prompt + this must fit the model's maximum sequence length.</summary>
    public int MaxNewTokens { get; init; } = 256;

    public SamplerSettings Sampling { get; init; } = SamplerSettings.Greedy;

    /// <summary>Generation ends before emitting any of these; null = genai_config.json's eos_token_id.</summary>
    public IReadOnlyList<int>? StopTokenIds { get; init; }

    /// <summary>
    /// Only ids below this are generated; null = every logit. Set it to the tokenizer's vocabulary size for models
    /// whose logits are padded past it (Qwen, Phi): the padding ids have no text.
    /// </summary>
    public int? TokenIdLimit { get; init; }

    /// <summary>
    /// Masks the logits before each pick (structured output); null = none. A constrained generation that ends
    /// complete at MaxNewTokens, or where only a stop token could follow, finishes as end of sequence.
    /// </summary>
    public ITokenConstraint? Constraint { get; init; }
}
