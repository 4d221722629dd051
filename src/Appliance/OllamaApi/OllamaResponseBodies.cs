using System.Text.Json;

namespace Appliance.OllamaApi;

internal sealed record OllamaVersion(string Version);

internal sealed record OllamaModelDetails(string Format, string Family, List<string> Families, string ParameterSize, string QuantizationLevel)
{
    public string ParentModel { get; init; } = "";
}

/// <summary>One entry of /api/tags (and, with the expiry fields, of /api/ps).</summary>
internal sealed record OllamaModelEntry(string Name, string Model, string ModifiedAt, long Size, string Digest, OllamaModelDetails Details)
{
    public string? ExpiresAt { get; init; }

    public long? SizeVram { get; init; }
}

internal sealed record OllamaModelList(List<OllamaModelEntry> Models);

internal sealed record OllamaShowResponse(string Modelfile, string Parameters, string Template, OllamaModelDetails Details, Dictionary<string, JsonElement> ModelInfo, List<string> Capabilities, string ModifiedAt);

internal sealed record OllamaToolCall(OllamaFunctionCall Function);

internal sealed record OllamaFunctionCall(string Name, JsonElement Arguments);

internal sealed record OllamaReplyMessage(string Role, string Content)
{
    public List<OllamaToolCall>? ToolCalls { get; init; }
}

/// <summary>
/// One NDJSON line (or the whole reply) of /api/chat (<see cref="Message"/>) or /api/generate (<see cref="Response"/>);
/// the last has done, done_reason and the counts and durations in nanoseconds.
/// </summary>
internal sealed record OllamaReply(string Model, string CreatedAt, bool Done)
{
    public OllamaReplyMessage? Message { get; init; }

    public string? Response { get; init; }

    public string? DoneReason { get; init; }

    public long? TotalDuration { get; init; }

    public long? LoadDuration { get; init; }

    public int? PromptEvalCount { get; init; }

    public long? PromptEvalDuration { get; init; }

    public int? EvalCount { get; init; }

    public long? EvalDuration { get; init; }
}

internal sealed record OllamaError(string Error);
