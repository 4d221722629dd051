using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Contract;

/// <summary>A piece of a streamed reply: {id, seq, delta}; seq counts from 0 per request.</summary>
internal sealed record DeltaMessage(string Id, int Seq, string Delta);

/// <summary>The final message of a reply: {id, done: true, text, finish_reason, usage, timings}, and tool_calls when it made any.</summary>
internal sealed record FinalMessage(string Id, bool Done, string Text, string FinishReason, UsageMessage Usage, TimingsMessage Timings)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCallMessage>? ToolCalls { get; init; }
}

/// <summary>OpenAI's shape of a call: {id: "call_…", type: "function", function: {name, arguments: "&lt;JSON text&gt;"}}.</summary>
internal sealed record ToolCallMessage(string Id, string Type, FunctionCallMessage Function)
{
    /// <summary>A fresh call id as OpenAI writes them ("call_" and 24 characters), for every door that reports calls.</summary>
    public static string NewId() => $"call_{Guid.NewGuid():N}"[..29];
}

internal sealed record FunctionCallMessage(string Name, string Arguments);

internal sealed record UsageMessage(int PromptTokens, int CompletionTokens);

/// <param name="CachedPromptTokens">Leading prompt tokens a kept prefix supplied (Engine:PrefixCacheSlots): not prefilled again.</param>
internal sealed record TimingsMessage(double TtftMs, double PrefillTps, double DecodeTps, double TotalMs, int CachedPromptTokens);

/// <summary>An error answer: {id, error: {code, message}}.</summary>
internal sealed record ErrorMessage(string Id, ErrorBody Error);

internal sealed record ErrorBody(string Code, string Message);

/// <summary>The retained status: {state, model, version, detail}.</summary>
/// <summary>The retained status; <see cref="Problems"/> (by part, e.g. "panel") is left out while there are none.</summary>
internal sealed record StatusMessage(
    string State,
    string? Model,
    string Version,
    string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Problems);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DeltaMessage))]
[JsonSerializable(typeof(FinalMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(StatusMessage))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>Writes reply text as UTF-8 with only what JSON requires escaped (no \u0027 for an apostrophe, no \uXXXX for é).</summary>
    public static ApiJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
