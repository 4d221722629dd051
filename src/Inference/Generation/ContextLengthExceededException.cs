namespace Appliance.Inference.Generation;

/// <summary>A request needs more positions than the model's KV cache holds.</summary>
public sealed class ContextLengthExceededException : Exception
{
    public ContextLengthExceededException()
    {
    }

    public ContextLengthExceededException(string message)
        : base(message)
    {
    }

    public ContextLengthExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ContextLengthExceededException(int cachedTokens, int requestedTokens, int maxSequenceLength)
        : this(
            $"{cachedTokens} cached + {requestedTokens} requested tokens exceed the model's maximum sequence length of " +
            $"{maxSequenceLength} (genai_config.json search.max_length / model.context_length).",
            cachedTokens + requestedTokens,
            maxSequenceLength)
    {
    }

    /// <summary>A prompt and a reply limit that do not fit (see <see cref="GenerationOptions.TokenBudget"/>).</summary>
    public ContextLengthExceededException(int promptTokens, int maxNewTokens, bool fitToContext, int maxSequenceLength)
        : this(
            fitToContext
                ? $"prompt ({promptTokens} tokens) leaves no room for a reply in the model's maximum sequence length of {maxSequenceLength}."
                : $"prompt ({promptTokens} tokens) + max new tokens ({maxNewTokens}) = {promptTokens + maxNewTokens} exceeds the model's maximum sequence length of {maxSequenceLength}.",
            promptTokens + (fitToContext ? 1 : maxNewTokens),
            maxSequenceLength)
    {
        PromptTokens = promptTokens;
        MaxNewTokens = fitToContext ? null : maxNewTokens;
    }

    /// <summary>A failure whose message says it all for its caller (a chat that filled the context).</summary>
    public ContextLengthExceededException(string message, int requestedLength, int maxSequenceLength)
        : base(message)
    {
        RequestedLength = requestedLength;
        MaxSequenceLength = maxSequenceLength;
    }

    /// <summary>Positions the request needs in total.</summary>
    public int RequestedLength { get; }

    public int MaxSequenceLength { get; }

    /// <summary>The prompt's tokens, when the prompt and a reply limit did not fit.</summary>
    public int PromptTokens { get; }

    /// <summary>The explicit reply limit that did not fit; null when the reply was to take the room left and none was.</summary>
    public int? MaxNewTokens { get; }
}
