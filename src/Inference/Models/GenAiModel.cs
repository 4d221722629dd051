using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>genai_config.json "model": the architecture, special tokens and the decoder graph.</summary>
public sealed class GenAiModel
{
    public int BosTokenId { get; set; }

    public int ContextLength { get; set; }

    public GenAiDecoder Decoder { get; set; } = new();

    /// <summary>Generation ends at any of these ids. JSON holds a number or an array.</summary>
    [JsonConverter(typeof(TokenIdListJsonConverter))]
    public int[] EosTokenId { get; set; } = [];

    public int PadTokenId { get; set; }

    /// <summary>Architecture family: "llama", "qwen2", "qwen3" (other values are kept as written).</summary>
    public string Type { get; set; } = string.Empty;

    public int VocabSize { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
