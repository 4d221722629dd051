namespace Appliance.Engine;

/// <summary>The prompt needs more of the context than max_tokens leaves it (the `too_large` error).</summary>
public sealed class PromptTooLargeException : Exception
{
    public PromptTooLargeException()
    {
    }

    public PromptTooLargeException(string message)
        : base(message)
    {
    }

    public PromptTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PromptTooLargeException(int promptTokens, int maxTokens, int contextLength)
        : base(
            $"the prompt is {promptTokens} tokens; with max_tokens {maxTokens} the model's context of {contextLength} tokens " +
            $"leaves room for {Math.Max(0, contextLength - maxTokens)} prompt tokens")
    {
        PromptTokens = promptTokens;
        Limit = Math.Max(0, contextLength - maxTokens);
    }

    /// <summary>A request without max_tokens whose prompt fills the whole context: not one token would fit after it.</summary>
    public static PromptTooLargeException NoRoom(int promptTokens, int contextLength) =>
        new($"the prompt is {promptTokens} tokens; the model's context of {contextLength} tokens leaves no room for a reply")
        {
            PromptTokens = promptTokens,
            Limit = Math.Max(0, contextLength - 1),
        };

    public int PromptTokens { get; private init; }

    /// <summary>The most prompt tokens the request could have had: context length − max_tokens (− 1 without max_tokens).</summary>
    public int Limit { get; private init; }
}
