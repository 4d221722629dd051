using Appliance.Engine;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;

namespace Appliance.Requests;

/// <summary>A validated request from `&lt;base&gt;/request` (or a plain prompt from `&lt;base&gt;/ask` or the panel).</summary>
public sealed record ApplianceRequest
{
    /// <summary>The client's id; null when it gave none (the service assigns one).</summary>
    public string? Id { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>The client's max_tokens; null when it named none (the reply gets the room left in the context, up to <see cref="DefaultMaxTokens"/>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Requests:DefaultMaxTokens when the request was parsed.</summary>
    public required int DefaultMaxTokens { get; init; }

    /// <summary>Requests:SpecialTokensInContent when the request was parsed.</summary>
    public bool SpecialTokensInContent { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public ulong? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Publish {id, seq, delta} messages while generating (default true); the final message comes either way.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>3.1.1 clients' response topic (MQTT 5 clients use the Response Topic property).</summary>
    public string? ReplyTo { get; init; }

    /// <summary>response_format: the grammar the reply must follow; null = free text.</summary>
    public JsonGrammar? ResponseFormat { get; init; }

    public EngineRequest ToEngineRequest() => new()
    {
        Messages = Messages,
        MaxTokens = MaxTokens,
        DefaultMaxTokens = DefaultMaxTokens,
        SpecialTokensInContent = SpecialTokensInContent,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        Seed = Seed,
        Stop = Stop,
        ResponseFormat = ResponseFormat,
    };
}
