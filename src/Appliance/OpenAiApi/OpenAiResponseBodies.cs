using System.Text.Json.Serialization;

namespace Appliance.OpenAiApi;

/// <summary>GET /v1/models: {"object":"list","data":[…]}.</summary>
internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

/// <summary>A chat completion, or (Object "chat.completion.chunk") one streamed chunk of one.</summary>
internal sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<ChatChoice> Choices)
{
    public UsageBody? Usage { get; init; }
}

/// <summary>One choice: <see cref="Message"/> in a completion, <see cref="Delta"/> in a chunk.</summary>
internal sealed record ChatChoice(int Index)
{
    public ChatReplyMessage? Message { get; init; }

    public ChatReplyMessage? Delta { get; init; }

    /// <summary>Null in every chunk but the last; OpenAI writes it out, so clients expect the key.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}

internal sealed record ChatReplyMessage
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public IReadOnlyList<ToolCallBody>? ToolCalls { get; init; }
}

/// <summary>OpenAI's call: {index (in chunks), id, type: "function", function: {name, arguments: "&lt;JSON text&gt;"}}.</summary>
internal sealed record ToolCallBody(string Id, string Type, FunctionCallBody Function)
{
    public int? Index { get; init; }
}

internal sealed record FunctionCallBody(string Name, string Arguments);

/// <summary>A text completion, or (streamed) one chunk of one; both are "text_completion" as OpenAI sends them.</summary>
internal sealed record TextCompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<TextChoice> Choices)
{
    public UsageBody? Usage { get; init; }
}

internal sealed record TextChoice(int Index, string Text)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}

internal sealed record UsageBody(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails);

/// <summary>How many prompt tokens a kept prefix supplied (Engine:PrefixCacheSlots), as OpenAI reports its own prompt caching.</summary>
internal sealed record PromptTokensDetails(int CachedTokens);
