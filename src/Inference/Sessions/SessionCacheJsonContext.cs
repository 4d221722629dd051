using System.Text.Json.Serialization;

namespace Appliance.Inference.Sessions;

/// <summary>Source-generated (AOT-safe) JSON metadata for a session cache entry's entry.json.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SessionCacheEntry))]
public sealed partial class SessionCacheJsonContext : JsonSerializerContext;
