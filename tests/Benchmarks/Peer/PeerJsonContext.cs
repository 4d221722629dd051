using System.Text.Json.Serialization;

namespace Appliance.Benchmarks.Peer;

/// <summary>Source-generated JSON for <see cref="GenAiBenchmarkReport"/>, snake_case like `appliance bench --json`.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GenAiBenchmarkReport))]
internal sealed partial class PeerJsonContext : JsonSerializerContext;
