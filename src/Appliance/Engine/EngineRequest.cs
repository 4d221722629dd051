using Appliance.Inference.Generation;
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

    /// <summary>The sampling fields the client set; the rest come from the model's genai_config.json.</summary>
    public SamplingRequest Sampling { get; init; } = SamplingRequest.ModelDefaults;

    /// <summary>The reply ends before the first of these; it is not part of the text.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>The grammar the reply must follow (response_format); null = free text.</summary>
    public JsonGrammar? ResponseFormat { get; init; }

    /// <summary>The tools offered to the model and the tool_choice; null = none (the template renders no tools).</summary>
    public ToolRequest? Tools { get; init; }

    /// <summary>Whether special tokens' text in message content becomes control tokens (Requests:SpecialTokensInContent); by default it is plain text.</summary>
    public bool SpecialTokensInContent { get; init; }

    /// <summary>
    /// The reply's length limit as the generator takes it: an explicit max_tokens must fit the context; without one
    /// the reply gets the room the prompt leaves, capped by <see cref="DefaultMaxTokens"/>.
    /// </summary>
    public GenerationOptions Limits => new() { MaxNewTokens = MaxTokens ?? DefaultMaxTokens, FitToContext = MaxTokens is null };

    public static EngineRequest FromPrompt(string prompt, int maxTokens) =>
        new() { Messages = [new ChatMessage("user", prompt)], MaxTokens = maxTokens };
}
