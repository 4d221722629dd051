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

    public ContextLengthExceededException(string message, int requestedLength, int maxSequenceLength)
        : base(message)
    {
        RequestedLength = requestedLength;
        MaxSequenceLength = maxSequenceLength;
    }

    /// <summary>Positions the request needs in total.</summary>
    public int RequestedLength { get; }

    public int MaxSequenceLength { get; }
}
