using Appliance.Inference.Structured;
using Appliance.Inference.Templates;

namespace Appliance.Engine;

/// <summary>One reply to generate: the conversation, its length limit, sampling (unset = the model's defaults) and stop strings.</summary>
public sealed record EngineRequest
{
    /// <summary>The conversation, rendered through the model's chat template; a plain prompt is one user message.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>The max_tokens the client asked for; null when it named none (then <see cref="DefaultMaxTokens"/> applies).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The most tokens a reply without max_tokens gets; fewer when the prompt leaves less room in the context.</summary>
    public int DefaultMaxTokens { get; init; } = 256;

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public ulong? Seed { get; init; }

    /// <summary>The reply ends before the first of these; it is not part of the text.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>The grammar the reply must follow (response_format); null = free text.</summary>
    public JsonGrammar? ResponseFormat { get; init; }

    /// <summary>Whether special tokens' text in message content becomes control tokens (Requests:SpecialTokensInContent); by default it is plain text.</summary>
    public bool SpecialTokensInContent { get; init; }

    /// <summary>Whether any sampling field was set; without any, a model whose defaults say do_sample: false answers greedily.</summary>
    public bool SetsSampling => Temperature is not null || TopP is not null || TopK is not null || Seed is not null;

    /// <summary>
    /// How many tokens the reply may have after a prompt of <paramref name="promptTokens"/>: the explicit max_tokens
    /// when the context holds it, else the room left in the context capped by <see cref="DefaultMaxTokens"/>.
    /// </summary>
    /// <exception cref="PromptTooLargeException">An explicit max_tokens does not fit, or the prompt leaves no room at all.</exception>
    public int TokenBudget(int promptTokens, int contextLength)
    {
        var room = contextLength - promptTokens;
        if (MaxTokens is { } requested)
        {
            return promptTokens > 0 && requested <= room ? requested : throw new PromptTooLargeException(promptTokens, requested, contextLength);
        }

        return promptTokens > 0 && room >= 1 ? Math.Min(DefaultMaxTokens, room) : throw PromptTooLargeException.NoRoom(promptTokens, contextLength);
    }

    public static EngineRequest FromPrompt(string prompt, int maxTokens) =>
        new() { Messages = [new ChatMessage("user", prompt)], MaxTokens = maxTokens };
}
