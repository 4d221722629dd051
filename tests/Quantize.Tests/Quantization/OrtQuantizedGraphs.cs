using Appliance.Inference.Runtime;
using Appliance.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Appliance.Quantize.Onnx;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>One-node graphs around MatMulNBits / GatherBlockQuantized, run on the pinned ONNX Runtime.</summary>
internal static class OrtQuantizedGraphs
{
    /// <summary>Y[M, N] = A[M, K] · Wᵀ (+ bias) through MatMulNBits, with A, bias and Y of the scales' float type.</summary>
    public static string MatMulNBits(string directory, QuantizedMatrix weight, int m, float[]? bias = null, int accuracyLevel = 0)
    {
        var path = Path.Combine(directory, "matmul_nbits.onnx");
        var type = weight.ScaleElementType;
        using var writer = new OnnxModelWriter(path, "matmul_nbits.onnx.data");
        writer.AddInput("A", type, m, weight.Columns);
        string? biasName = null;
        if (bias is not null)
        {
            biasName = type == OnnxElementType.Float
                ? writer.AddInitializer("bias", [bias.Length], bias)
                : writer.AddInitializer("bias", type, [bias.Length], Halves(bias));
        }

        QuantizedOperators.AddMatMulNBits(writer, "matmul", "A", "Y", weight, "weight", biasName, accuracyLevel);
        writer.AddOutput("Y", type, m, weight.Rows);
        writer.Save();
        return path;
    }

    /// <summary>output[indices..., hidden] = GatherBlockQuantized(table, indices) with int64 indices of the given shape.</summary>
    public static string GatherBlockQuantized(string directory, QuantizedMatrix table, long[] indicesShape)
    {
        var path = Path.Combine(directory, "gather_block_quantized.onnx");
        using var writer = new OnnxModelWriter(path, "gather_block_quantized.onnx.data");
        writer.AddInput("indices", OnnxElementType.Int64, [.. indicesShape.Select(d => (OnnxDim)d)]);
        QuantizedOperators.AddGatherBlockQuantized(writer, "embed", "indices", "output", table, "embed_tokens");
        writer.AddOutput("output", table.ScaleElementType, [.. indicesShape.Select(d => (OnnxDim)d), table.Columns]);
        writer.Save();
        return path;
    }

    /// <summary>
    /// A tied table's two readers over one set of codes: embeddings[indices..., hidden] by GatherBlockQuantized and
    /// Y[M, vocab] = A[M, hidden] · tableᵀ by MatMulNBits.
    /// </summary>
    public static string TiedTable(string directory, QuantizedMatrix table, long[] indicesShape, int m)
    {
        var path = Path.Combine(directory, "tied_table.onnx");
        using var writer = new OnnxModelWriter(path, "tied_table.onnx.data");
        writer.AddInput("indices", OnnxElementType.Int64, [.. indicesShape.Select(d => (OnnxDim)d)]);
        writer.AddInput("A", OnnxElementType.Float, m, table.Columns);
        var codes = QuantizedOperators.AddTiedGatherBlockQuantized(writer, "embed", "indices", "embeddings", table, "table");
        QuantizedOperators.AddMatMulNBitsNode(writer, "head", "A", "Y", table, codes, accuracyLevel: 0);
        writer.AddOutput("embeddings", OnnxElementType.Float, [.. indicesShape.Select(d => (OnnxDim)d), table.Columns]);
        writer.AddOutput("Y", OnnxElementType.Float, m, table.Rows);
        writer.Save();
        return path;
    }

    /// <summary>Runs a model and returns each named float output's elements.</summary>
    public static float[][] RunFloat(string modelPath, IReadOnlyList<(string Name, OrtValue Value)> inputs, params string[] outputNames) =>
        OrtGraphs.Run<float>(modelPath, inputs, outputNames);

    /// <summary>Runs a one-input, one-output model and returns the output's elements.</summary>
    public static T[] Run<TIn, T>(string modelPath, string inputName, TIn[] input, long[] inputShape, string outputName)
        where TIn : unmanaged
        where T : unmanaged
    {
        using var value = OrtGraphs.Tensor(input, inputShape);
        return OrtGraphs.Run<T>(modelPath, [(inputName, value)], outputName)[0];
    }

    public static byte[] Halves(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (Half)values[i]);
        }

        return bytes;
    }
}
