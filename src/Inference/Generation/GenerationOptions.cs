namespace Appliance.Inference.Generation;

/// <summary>One generation request's limits and sampling.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate; prompt + this must fit the model's maximum sequence length unless <see cref="FitToContext"/>.</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>
    /// <see cref="MaxNewTokens"/> is a cap, not a demand: the reply gets the room the context has left, up to it (a
    /// request that named no max_tokens, a chat turn). Only a prompt that leaves no room at all is refused.
    /// </summary>
    public bool FitToContext { get; init; }

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

    /// <summary>How many tokens may follow a prompt of <paramref name="promptTokens"/>: the one context-length check.</summary>
    /// <exception cref="ContextLengthExceededException">The prompt leaves no room, or not room for an explicit <see cref="MaxNewTokens"/>.</exception>
    public int TokenBudget(int promptTokens, int contextLength)
    {
        var room = contextLength - promptTokens;
        var budget = FitToContext ? Math.Min(MaxNewTokens, room) : MaxNewTokens;
        return promptTokens > 0 && budget >= 1 && budget <= room
            ? budget
            : throw new ContextLengthExceededException(promptTokens, MaxNewTokens, FitToContext, contextLength);
    }
}
