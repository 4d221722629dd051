using System.Globalization;
using Appliance.Inference.Runtime;
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
        CheckAccuracyLevel(accuracyLevel);
        var names = AddInitializers(writer, weight.WithLayout(QuantizedLayout.MatMulNBits), initializerPrefix);
        AddMatMulNBitsNode(writer, nodeName, input, output, weight, names, bias, accuracyLevel);
        return names;
    }

    /// <summary>A MatMulNBits node over initializers already in the graph (e.g. a tied table's, see <see cref="AddTiedGatherBlockQuantized"/>).</summary>
    public static void AddMatMulNBitsNode(
        OnnxModelWriter writer, string nodeName, string input, string output, QuantizedMatrix weight, QuantizedInitializers initializers,
        string? bias = null, int accuracyLevel = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(initializers);
        CheckAccuracyLevel(accuracyLevel);
        List<string> inputs = [input, initializers.Data, initializers.Scales, initializers.ZeroPoints ?? ""];
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

        writer.AddNode("GatherBlockQuantized", inputs, [output], nodeName, Domain, GatherAttributes(table, quantizeAxis: 1));
        return names;
    }

    /// <summary>
    /// Token embeddings from a tied [vocab, hidden] table whose codes are stored once, in MatMulNBits's [vocab, blocks, blob]
    /// shape, so the lm_head's MatMulNBits (<see cref="AddMatMulNBitsNode"/> with the returned names) reads the same bytes.
    /// GatherBlockQuantized takes that rank-3 data with one block per innermost row and needs its scales and zero points as
    /// [vocab, blocks, 1], one zero point per byte; those small tensors are stored a second time in that shape. The gathered
    /// [..., blocks, block_size] rows are reshaped to [..., hidden].
    /// </summary>
    /// <returns>The MatMulNBits-shaped initializers (codes, scales, packed zero points).</returns>
    public static QuantizedInitializers AddTiedGatherBlockQuantized(
        OnnxModelWriter writer, string nodeName, string indices, string output, QuantizedMatrix table, string initializerPrefix)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns % table.BlockSize != 0)
        {
            throw new ArgumentException(
                $"A table shared by GatherBlockQuantized and MatMulNBits needs whole blocks per row; {table.Columns} columns are not a multiple of block size {table.BlockSize}.",
                nameof(table));
        }

        var head = table.WithLayout(QuantizedLayout.MatMulNBits);
        var names = AddInitializers(writer, head, initializerPrefix);
        long[] perBlock = [table.Rows, table.BlocksPerRow, 1];
        List<string> inputs = [names.Data, indices, writer.AddInitializer($"{initializerPrefix}_gather_scales", head.ScaleElementType, perBlock, head.EncodeScales())];
        if (head.HasZeroPoints)
        {
            var unpacked = new byte[(long)table.Rows * table.BlocksPerRow];
            for (var row = 0; row < table.Rows; row++)
            {
                for (var block = 0; block < table.BlocksPerRow; block++)
                {
                    unpacked[((long)row * table.BlocksPerRow) + block] = (byte)head.ZeroPoint(row, block);
                }
            }

            inputs.Add(writer.AddInitializer($"{initializerPrefix}_gather_zero_points", OnnxElementType.UInt8, perBlock, unpacked));
        }

        var blocks = $"{nodeName}/output_0";
        writer.AddNode("GatherBlockQuantized", inputs, [blocks], nodeName, Domain, GatherAttributes(table, quantizeAxis: 2));
        ReadOnlySpan<long> toHidden = [0, 0, table.Columns]; // 0 keeps the indices' dimensions
        var shape = writer.AddInitializer($"{initializerPrefix}_gather_shape", [toHidden.Length], toHidden);
        writer.AddNode("Reshape", [blocks, shape], [output], $"{nodeName}/Reshape");
        return names;
    }

    private static OnnxAttribute[] GatherAttributes(QuantizedMatrix table, int quantizeAxis) =>
    [
        OnnxAttribute.Int("gather_axis", 0),
        OnnxAttribute.Int("quantize_axis", quantizeAxis),
        OnnxAttribute.Int("block_size", table.BlockSize),
        OnnxAttribute.Int("bits", table.Bits),
    ];

    private static void CheckAccuracyLevel(int accuracyLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accuracyLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(accuracyLevel, 4);
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
