using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.OpenAiApi;

/// <summary>
/// The OpenAI API's bodies, source-generated (no reflection, AOT clean), snake_case as OpenAI writes them; nulls are
/// left out except where OpenAI's clients expect the key.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionBody))]
[JsonSerializable(typeof(CompletionBody))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelEntry))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(TextCompletionResponse))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Deep enough for response_format and tool schemas, shallow enough that a hostile nesting is refused early; reply
    /// text is written as UTF-8 with only what JSON requires escaped.
    /// </summary>
    public static OpenAiJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 64,
    });
}
