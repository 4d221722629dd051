using System.Text.Json.Serialization;

namespace Appliance.Benchmarks;

/// <summary>Source-generated (AOT-safe) JSON for <see cref="BenchmarkReport"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BenchmarkReport))]
[JsonSerializable(typeof(OperatorTime))]
[JsonSerializable(typeof(MemoryBreakdown))]
[JsonSerializable(typeof(StructuredMeasurement))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;
