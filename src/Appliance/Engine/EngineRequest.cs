using Appliance.Inference.Templates;

namespace Appliance.Engine;

/// <summary>One reply to generate: the conversation, its length limit, sampling (unset = the model's defaults) and stop strings.</summary>
public sealed record EngineRequest
{
    /// <summary>The conversation, rendered through the model's chat template; a plain prompt is one user message.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public int MaxTokens { get; init; } = 256;

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public ulong? Seed { get; init; }

    /// <summary>The reply ends before the first of these; it is not part of the text.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Whether any sampling field was set; without any, a model whose defaults say do_sample: false answers greedily.</summary>
    public bool SetsSampling => Temperature is not null || TopP is not null || TopK is not null || Seed is not null;

    public static EngineRequest FromPrompt(string prompt, int maxTokens) =>
        new() { Messages = [new ChatMessage("user", prompt)], MaxTokens = maxTokens };
}
