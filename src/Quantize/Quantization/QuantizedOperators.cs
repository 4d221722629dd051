using System.Globalization;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Quantization;

/// <summary>
/// Writes a <see cref="QuantizedMatrix"/> into a graph as com.microsoft MatMulNBits or GatherBlockQuantized: the initializers
/// (named prefix_Q4 / prefix_Q8, prefix_scales, prefix_zero_points) and the node with its attributes.
/// </summary>
public static class QuantizedOperators
{
    public const string Domain = "com.microsoft";

    /// <summary>
    /// output[..., N] = input[..., K] · Wᵀ (+ bias[N]) for the [N, K] matrix <paramref name="weight"/> (a PyTorch linear
    /// weight [out, in]). The input's float type must match the scales' (<see cref="QuantizedMatrix.ScaleElementType"/>).
    /// </summary>
    /// <param name="bias">Name of an existing [N] tensor of the input's type, or null.</param>
    /// <param name="accuracyLevel">MatMulNBits accuracy_level: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 (A quantized per block).</param>
    public static QuantizedInitializers AddMatMulNBits(
        OnnxModelWriter writer, string nodeName, string input, string output, QuantizedMatrix weight, string initializerPrefix,
        string? bias = null, int accuracyLevel = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfNegative(accuracyLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(accuracyLevel, 4);
        var names = AddInitializers(writer, weight.WithLayout(QuantizedLayout.MatMulNBits), initializerPrefix);
        List<string> inputs = [input, names.Data, names.Scales, names.ZeroPoints ?? ""];
        if (bias is not null)
        {
            inputs.AddRange(["", bias]); // g_idx (deprecated) stays empty
        }

        writer.AddNode("MatMulNBits", inputs, [output], nodeName, Domain,
            OnnxAttribute.Int("K", weight.Columns),
            OnnxAttribute.Int("N", weight.Rows),
            OnnxAttribute.Int("bits", weight.Bits),
            OnnxAttribute.Int("block_size", weight.BlockSize),
            OnnxAttribute.Int("accuracy_level", accuracyLevel));
        return names;
    }

    /// <summary>
    /// output[..., hidden] = the dequantized rows of the [vocab, hidden] table <paramref name="table"/> picked by the int32/int64
    /// <paramref name="indices"/>; the output's float type is the scales' (<see cref="QuantizedMatrix.ScaleElementType"/>).
    /// </summary>
    public static QuantizedInitializers AddGatherBlockQuantized(
        OnnxModelWriter writer, string nodeName, string indices, string output, QuantizedMatrix table, string initializerPrefix)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        var names = AddInitializers(writer, table.WithLayout(QuantizedLayout.GatherBlockQuantized), initializerPrefix);
        List<string> inputs = [names.Data, indices, names.Scales];
        if (names.ZeroPoints is not null)
        {
            inputs.Add(names.ZeroPoints);
        }

        writer.AddNode("GatherBlockQuantized", inputs, [output], nodeName, Domain,
            OnnxAttribute.Int("gather_axis", 0),
            OnnxAttribute.Int("quantize_axis", 1),
            OnnxAttribute.Int("block_size", table.BlockSize),
            OnnxAttribute.Int("bits", table.Bits));
        return names;
    }

    private static QuantizedInitializers AddInitializers(OnnxModelWriter writer, QuantizedMatrix matrix, string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var data = writer.AddInitializer(
            string.Create(CultureInfo.InvariantCulture, $"{prefix}_Q{matrix.Bits}"), OnnxElementType.UInt8, matrix.DataShape(), matrix.Data.Span);
        var scales = writer.AddInitializer($"{prefix}_scales", matrix.ScaleElementType, matrix.ScalesShape(), matrix.EncodeScales());
        var zeroPoints = matrix.HasZeroPoints
            ? writer.AddInitializer($"{prefix}_zero_points", OnnxElementType.UInt8, matrix.ZeroPointsShape(), matrix.ZeroPoints.Span)
            : null;
        return new QuantizedInitializers(data, scales, zeroPoints);
    }
}
