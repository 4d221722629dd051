using Appliance.Inference.Generation;

namespace Appliance.Contract;

/// <summary>The `too_large` answer to a prompt that leaves the reply no room in the model's context, in the request's terms.</summary>
public static class PromptTooLargeText
{
    public static string Of(ContextLengthExceededException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var context = error.MaxSequenceLength;
        return error.MaxNewTokens is { } maxTokens
            ? $"the prompt is {error.PromptTokens} tokens; with max_tokens {maxTokens} the model's context of {context} tokens " +
              $"leaves room for {Math.Max(0, context - maxTokens)} prompt tokens"
            : $"the prompt is {error.PromptTokens} tokens; the model's context of {context} tokens leaves no room for a reply";
    }
}
