using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;

namespace Appliance.Inference.Tests.Runtime;

/// <summary>Tiny ONNX graphs written with <see cref="OnnxModelWriter"/> for the runtime tests.</summary>
internal static class TestGraphs
{
    public const int Hidden = 300;
    public const int Out = 2;

    /// <summary>y[batch, 2] = x[batch, 300] · w[300, 2] + b[2]; w (2400 bytes) lives in the external data file.</summary>
    public static string MatMulAdd(string directory, out float[] weights, out float[] bias)
    {
        weights = [.. Enumerable.Range(0, Hidden * Out).Select(i => ((i % 7) - 3) * 0.125f)];
        bias = [0.5f, -1.5f];
        var path = Path.Combine(directory, "matmul_add.onnx");
        using var writer = new OnnxModelWriter(path, "matmul_add.onnx.data");
        writer.AddInput("x", OnnxElementType.Float, "batch", Hidden);
        writer.AddNode("MatMul", ["x", writer.AddInitializer("w", [Hidden, Out], weights)], ["xw"]);
        writer.AddNode("Add", ["xw", writer.AddInitializer("b", [Out], bias)], ["y"]);
        writer.AddOutput("y", OnnxElementType.Float, "batch", Out);
        writer.Save();
        return path;
    }

    /// <summary>y = x + x over float [1, "total"]: the shape a growing attention mask has in the decode loop.</summary>
    public static string Doubler(string directory)
    {
        var path = Path.Combine(directory, "doubler.onnx");
        using var writer = new OnnxModelWriter(path, "doubler.onnx.data");
        writer.AddInput("x", OnnxElementType.Float, 1, "total");
        writer.AddNode("Add", ["x", "x"], ["y"]);
        writer.AddOutput("y", OnnxElementType.Float, 1, "total");
        writer.Save();
        return path;
    }

    /// <summary>com.microsoft SkipSimplifiedLayerNormalization (RMSNorm of input + skip, scaled by gamma) over [1, seq, 4].</summary>
    public static string SkipRmsNorm(string directory, float[] gamma, float epsilon)
    {
        var path = Path.Combine(directory, "skip_rms.onnx");
        using var writer = new OnnxModelWriter(path, "skip_rms.onnx.data");
        writer.AddInput("input", OnnxElementType.Float, 1, "seq", gamma.Length);
        writer.AddInput("skip", OnnxElementType.Float, 1, "seq", gamma.Length);
        writer.AddNode("SkipSimplifiedLayerNormalization", ["input", "skip", writer.AddInitializer("gamma", [gamma.Length], gamma)],
            ["output"], "norm", "com.microsoft", OnnxAttribute.Float("epsilon", epsilon));
        writer.AddOutput("output", OnnxElementType.Float, 1, "seq", gamma.Length);
        writer.Save();
        return path;
    }

    public static float[] ExpectedMatMulAdd(float[] x, float[] weights, float[] bias)
    {
        var batch = x.Length / Hidden;
        var y = new float[batch * Out];
        for (var r = 0; r < batch; r++)
        {
            for (var c = 0; c < Out; c++)
            {
                double sum = bias[c];
                for (var k = 0; k < Hidden; k++)
                {
                    sum += x[(r * Hidden) + k] * weights[(k * Out) + c];
                }

                y[(r * Out) + c] = (float)sum;
            }
        }

        return y;
    }
}
