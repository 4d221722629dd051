using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>Element type of the converted model's weights, activations and KV cache.</summary>
internal enum ConversionPrecision
{
    Fp32,
    Fp16,
}

internal static class ConversionPrecisionExtensions
{
    public static OnnxElementType ElementType(this ConversionPrecision precision) => precision switch
    {
        ConversionPrecision.Fp32 => OnnxElementType.Float,
        ConversionPrecision.Fp16 => OnnxElementType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>The spelling used on the command line and in the manifest recipe.</summary>
    public static string Name(this ConversionPrecision precision) => precision switch
    {
        ConversionPrecision.Fp32 => "fp32",
        ConversionPrecision.Fp16 => "fp16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    public static ConversionPrecision Parse(string name) => name switch
    {
        "fp32" => ConversionPrecision.Fp32,
        "fp16" => ConversionPrecision.Fp16,
        _ => throw new ConversionException($"Unsupported precision '{name}': use fp32 or fp16."),
    };
}
