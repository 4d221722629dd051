using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// What the converted model stores its linear weights as. Fp32 and fp16 also set the activations' and KV cache's type;
/// int4 and int8 quantize the weights block-wise (MatMulNBits) and keep float32 activations and KV cache, which is what
/// ONNX Runtime's CPU kernels run fastest.
/// </summary>
internal enum ConversionPrecision
{
    Fp32,
    Fp16,
    Int4,
    Int8,
}

internal static class ConversionPrecisionExtensions
{
    public static IReadOnlyList<ConversionPrecision> All { get; } =
        [ConversionPrecision.Fp32, ConversionPrecision.Fp16, ConversionPrecision.Int4, ConversionPrecision.Int8];

    /// <summary>The graph's float type: activations, KV cache and every weight that is not quantized.</summary>
    public static OnnxElementType ElementType(this ConversionPrecision precision) => precision switch
    {
        ConversionPrecision.Fp32 or ConversionPrecision.Int4 or ConversionPrecision.Int8 => OnnxElementType.Float,
        ConversionPrecision.Fp16 => OnnxElementType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>The linear weights' format: quantized for int4/int8, else the graph's float type.</summary>
    public static WeightFormat LinearFormat(this ConversionPrecision precision) => precision switch
    {
        ConversionPrecision.Int4 => WeightFormat.Int4,
        ConversionPrecision.Int8 => WeightFormat.Int8,
        _ => WeightFormat.Float,
    };

    public static bool IsQuantized(this ConversionPrecision precision) => precision.LinearFormat() != WeightFormat.Float;

    /// <summary>The spelling used on the command line and in the manifest recipe.</summary>
    public static string Name(this ConversionPrecision precision) => precision switch
    {
        ConversionPrecision.Fp32 => "fp32",
        ConversionPrecision.Fp16 => "fp16",
        ConversionPrecision.Int4 => "int4",
        ConversionPrecision.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    public static ConversionPrecision Parse(string name) =>
        All.FirstOrDefault(p => p.Name() == name, (ConversionPrecision)(-1)) is var precision && precision >= 0
            ? precision
            : throw new ConversionException($"Unsupported precision '{name}': use {string.Join(", ", All.Select(p => p.Name()))}.");
}
