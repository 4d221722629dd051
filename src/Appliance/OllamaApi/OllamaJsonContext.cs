using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.OllamaApi;

/// <summary>The Ollama API's bodies, source-generated (no reflection, AOT clean), snake_case as Ollama writes them; nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatBody))]
[JsonSerializable(typeof(OllamaGenerateBody))]
[JsonSerializable(typeof(OllamaShowBody))]
[JsonSerializable(typeof(OllamaVersion))]
[JsonSerializable(typeof(OllamaModelList))]
[JsonSerializable(typeof(OllamaShowResponse))]
[JsonSerializable(typeof(OllamaReply))]
[JsonSerializable(typeof(OllamaError))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext
{
    /// <summary>Deep enough for format and tool schemas, shallow enough that a hostile nesting is refused early; text as UTF-8.</summary>
    public static OllamaJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 64,
    });
}
