namespace Appliance.Quantize.Quantization;

/// <summary>Initializer names of one quantized matrix in a graph; <see cref="ZeroPoints"/> is null for symmetric matrices.</summary>
public sealed record QuantizedInitializers(string Data, string Scales, string? ZeroPoints);
