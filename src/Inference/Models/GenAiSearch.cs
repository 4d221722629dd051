using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>genai_config.json "search": default generation settings and the KV cache layout.</summary>
public sealed class GenAiSearch
{
    public double DiversityPenalty { get; set; }

    public bool DoSample { get; set; }

    public bool EarlyStopping { get; set; } = true;

    public double LengthPenalty { get; set; } = 1.0;

    /// <summary>Longest sequence, prompt included; with a shared buffer it is the KV buffer length. 0 = context length.</summary>
    public int MaxLength { get; set; }

    public int MinLength { get; set; }

    public int NoRepeatNgramSize { get; set; }

    public int NumBeams { get; set; } = 1;

    public int NumReturnSequences { get; set; } = 1;

    /// <summary>Past and present KV of a layer live in one preallocated [1, kv_heads, max_length, head_size] buffer.</summary>
    public bool PastPresentShareBuffer { get; set; }

    public double RepetitionPenalty { get; set; } = 1.0;

    public double Temperature { get; set; } = 1.0;

    public int TopK { get; set; } = 50;

    public double TopP { get; set; } = 1.0;

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
