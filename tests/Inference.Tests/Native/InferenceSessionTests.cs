using Appliance.Inference.Native;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Native;

public sealed class InferenceSessionTests : IDisposable
{
    private readonly TempDirectory _dir = new("ort-session");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reports_input_and_output_names_types_and_symbolic_shapes()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.MatMulAdd(_dir.Path, out _, out _));

        var input = Assert.Single(session.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1, NativeTestModels.Hidden], input.Shape);
        Assert.Equal("batch", input.SymbolicDims[0]);
        Assert.Null(input.SymbolicDims[1]);
        var output = Assert.Single(session.Outputs);
        Assert.Equal("y", output.Name);
        Assert.Equal([-1, NativeTestModels.Out], output.Shape);
    }

    [Fact]
    public void Runs_matmul_add_with_weights_from_external_data()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.MatMulAdd(_dir.Path, out var weights, out var bias));
        var x = Enumerable.Range(0, 2 * NativeTestModels.Hidden).Select(i => (i % 11) * 0.1f).ToArray();
        using var input = OrtValue.CreateTensor(x.AsMemory(), [2, NativeTestModels.Hidden]);

        var outputs = session.Run(["x"], [input], ["y"]);

        using var y = Assert.Single(outputs);
        Assert.Equal([2, NativeTestModels.Out], y.GetShape());
        var expected = NativeTestModels.ExpectedMatMulAdd(x, weights, bias);
        Assert.Equal(expected, y.GetTensorSpan<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void Runs_a_com_microsoft_contrib_operator()
    {
        float[] gamma = [1f, 2f, 0.5f, -1f];
        using var session = OrtTestEnvironment.Open(NativeTestModels.SkipRmsNorm(_dir.Path, gamma, 1e-6f));
        float[] x = [1f, 2f, 3f, 4f];
        float[] skip = [0.5f, -1f, 1f, 0f];
        using var xValue = OrtValue.CreateTensor(x.AsMemory(), [1, 1, 4]);
        using var skipValue = OrtValue.CreateTensor(skip.AsMemory(), [1, 1, 4]);

        var outputs = session.Run(["input", "skip"], [xValue, skipValue], ["output"]);

        using var output = Assert.Single(outputs);
        var sum = x.Zip(skip, (a, b) => (double)a + b).ToArray();
        var rms = Math.Sqrt((sum.Sum(v => v * v) / sum.Length) + 1e-6);
        var expected = sum.Select((v, i) => (float)(v / rms * gamma[i])).ToArray();
        Assert.Equal(expected, output.GetTensorSpan<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Garbage_model_file_fails_with_onnx_runtime_message()
    {
        var path = _dir.Combine("garbage.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12, 0x34]);

        var error = Assert.Throws<OrtException>(() => OrtTestEnvironment.Open(path));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_model_file_fails_with_onnx_runtime_message()
    {
        var path = NativeTestModels.MatMulAdd(_dir.Path, out _, out _);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<OrtException>(() => OrtTestEnvironment.Open(path));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
        Assert.Contains("Protobuf parsing failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file_fails_naming_the_file()
    {
        var path = _dir.Combine("absent.onnx");

        var error = Assert.Throws<OrtException>(() => OrtTestEnvironment.Open(path));

        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_input_name_fails_with_onnx_runtime_message()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var input = OrtValue.CreateTensor(new float[3].AsMemory(), [1, 3]);

        var error = Assert.Throws<OrtException>(() => session.Run(["not_x"], [input], ["y"]));

        Assert.Contains("not_x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profiling_writes_a_trace_at_the_returned_path()
    {
        var modelPath = NativeTestModels.Doubler(_dir.Path);
        using var options = new SessionOptions();
        options.EnableProfiling(_dir.Combine("trace"));
        using var session = new InferenceSession(OrtTestEnvironment.Instance, modelPath, options);
        using var input = OrtValue.CreateTensor(new float[3].AsMemory(), [1, 3]);
        foreach (var output in session.Run(["x"], [input], ["y"]))
        {
            output.Dispose();
        }

        var trace = session.EndProfiling();

        Assert.StartsWith(_dir.Combine("trace"), Path.GetFullPath(trace), StringComparison.Ordinal);
        Assert.Contains("\"name\"", File.ReadAllText(trace), StringComparison.Ordinal);
    }
}
