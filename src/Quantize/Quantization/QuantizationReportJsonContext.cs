using System.Text.Json.Serialization;

namespace Appliance.Quantize.Quantization;

/// <summary>Source-generated (AOT-safe) JSON for quantization_report.json.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(QuantizationReport))]
internal sealed partial class QuantizationReportJsonContext : JsonSerializerContext;
