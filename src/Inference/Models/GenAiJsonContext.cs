using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>Source-generated (AOT-safe) JSON metadata for genai_config.json.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(GenAiConfig))]
public sealed partial class GenAiJsonContext : JsonSerializerContext;
