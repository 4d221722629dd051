using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>
/// ONNX Runtime GenAI's <c>genai_config.json</c>: what the decoder graph is called, how its inputs and outputs
/// are named and shaped, and the default search settings. Unknown fields survive a load/save round trip.
/// </summary>
public sealed class GenAiConfig
{
    public const string FileName = "genai_config.json";

    public GenAiModel Model { get; set; } = new();

    public GenAiSearch Search { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? ExtensionData { get; set; }

    /// <summary>Longest sequence (prompt + generated) a session may hold: search.max_length capped by the context length.</summary>
    [JsonIgnore]
    public int MaxSequenceLength =>
        Search.MaxLength > 0 && (Model.ContextLength <= 0 || Search.MaxLength < Model.ContextLength)
            ? Search.MaxLength
            : Model.ContextLength;

    public static GenAiConfig Load(string path) => ModelJsonFile.Read(path, GenAiJsonContext.Default.GenAiConfig);

    public static GenAiConfig Parse(Stream utf8Json, string sourceName) =>
        ModelJsonFile.Parse(utf8Json, sourceName, GenAiJsonContext.Default.GenAiConfig);

    public void Save(string path) => ModelJsonFile.Write(path, this, GenAiJsonContext.Default.GenAiConfig);
}
