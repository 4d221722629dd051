using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Runtime;

/// <summary>Models from <see cref="OnnxModelWriter"/> as ONNX Runtime sees them: attributes, inline and external tensors.</summary>
public sealed class OnnxModelWriterRuntimeTests : IDisposable
{
    private readonly TempDirectory _dir = new("onnx-writer-ort");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ints_tensor_float_and_int_attributes_are_understood()
    {
        var path = _dir.Combine("attrs.onnx");
        float[] constant = [10, 20, 30, 40, 50, 60];
        using (var writer = new OnnxModelWriter(path, "attrs.onnx.data"))
        {
            writer.AddInput("x", OnnxElementType.Float, 2, 3);
            writer.AddNode("Transpose", ["x"], ["xt"], "transpose", attributes: OnnxAttribute.Ints("perm", 1, 0));
            writer.AddNode("Constant", [], ["c"], "constant",
                attributes: OnnxAttribute.Tensor("value", OnnxElementType.Float, [3, 2], MemoryMarshal.AsBytes(constant.AsSpan()).ToArray()));
            writer.AddNode("Add", ["xt", "c"], ["sum"]);
            writer.AddNode("LeakyRelu", ["sum"], ["leaky"], attributes: OnnxAttribute.Float("alpha", 0.5f));
            writer.AddNode("Flatten", ["leaky"], ["y"], attributes: OnnxAttribute.Int("axis", 0));
            writer.AddOutput("y", OnnxElementType.Float, 1, 6);
            writer.Save();
        }

        using var input = OrtGraphs.Tensor(new float[] { -100, 1, 2, 3, 4, 5 }, 2, 3);
        var output = Assert.Single(OrtGraphs.Run<float>(path, [("x", input)], "y"));

        // xt = [[-100, 3], [1, 4], [2, 5]]; + c; LeakyRelu halves the one negative entry.
        Assert.Equal([-45f, 23f, 31f, 44f, 52f, 65f], output);
    }

    [Fact]
    public void Many_external_tensors_load_from_aligned_offsets()
    {
        var path = _dir.Combine("chain.onnx");
        using (var writer = new OnnxModelWriter(path, "chain.onnx.data"))
        {
            writer.AddInput("x", OnnxElementType.Float, 1, 512);
            var previous = "x";
            for (var i = 0; i < 3; i++)
            {
                var addend = Enumerable.Repeat((float)(i + 1), 512).ToArray();
                writer.AddNode("Add", [previous, writer.AddInitializer($"a{i}", [1, 512], addend)], [$"h{i}"]);
                previous = $"h{i}";
            }

            writer.AddNode("ReduceSum", [previous, writer.AddInitializer("axes", [1], [1L])], ["y"], attributes: OnnxAttribute.Int("keepdims", 0));
            writer.AddOutput("y", OnnxElementType.Float, 1);
            writer.Save();
        }

        using var input = OrtGraphs.Tensor(new float[512], 1, 512);
        var output = Assert.Single(OrtGraphs.Run<float>(path, [("x", input)], "y"));

        Assert.Equal(512f * 6, output[0]);
        Assert.True(new FileInfo(_dir.Combine("chain.onnx.data")).Length >= (2 * 4096) + 2048);
    }
}
