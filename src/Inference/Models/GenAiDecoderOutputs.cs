using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>Decoder output names. Per-layer names hold "%d" where the layer index goes.</summary>
public sealed class GenAiDecoderOutputs
{
    public string Logits { get; set; } = "logits";

    public string PresentKeyNames { get; set; } = "present.%d.key";

    public string PresentValueNames { get; set; } = "present.%d.value";

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
