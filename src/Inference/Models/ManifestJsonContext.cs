using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>Source-generated (AOT-safe) JSON metadata for manifest.json.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelManifest))]
public sealed partial class ManifestJsonContext : JsonSerializerContext;
