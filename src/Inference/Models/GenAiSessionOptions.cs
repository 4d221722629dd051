using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>genai_config.json "model.decoder.session_options": hints for creating the ONNX Runtime session.</summary>
public sealed class GenAiSessionOptions
{
    public string? LogId { get; set; }

    public int? IntraOpNumThreads { get; set; }

    public int? InterOpNumThreads { get; set; }

    /// <summary>e.g. "ORT_ENABLE_ALL", as ONNX Runtime GenAI spells it.</summary>
    public string? GraphOptimizationLevel { get; set; }

    /// <summary>One entry per execution provider in priority order: { "cuda": { "key": "value" } }.</summary>
    public List<Dictionary<string, Dictionary<string, string>>>? ProviderOptions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
