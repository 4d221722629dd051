using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>Decoder input names. Per-layer names hold "%d" where the layer index goes.</summary>
public sealed class GenAiDecoderInputs
{
    public string InputIds { get; set; } = "input_ids";

    public string AttentionMask { get; set; } = "attention_mask";

    /// <summary>Absent for graphs that derive positions themselves (GroupQueryAttention with rotary).</summary>
    public string? PositionIds { get; set; }

    public string PastKeyNames { get; set; } = "past_key_values.%d.key";

    public string PastValueNames { get; set; } = "past_key_values.%d.value";

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
