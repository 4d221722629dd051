using Appliance.Inference.Native;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Native;

public sealed class IoBindingTests : IDisposable
{
    private static readonly Utf8Name X = new("x");
    private static readonly Utf8Name Y = new("y");
    private readonly TempDirectory _dir = new("ort-binding");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Outputs_bound_to_preallocated_memory_are_written_in_place()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var binding = session.CreateIoBinding();
        var x = new float[] { 1, 2, 3 };
        var y = new float[3];
        using var input = OrtValue.CreateTensor(x.AsMemory(), [1, 3]);
        using var output = OrtValue.CreateTensor(y.AsMemory(), [1, 3]);
        binding.BindInput(X, input);
        binding.BindOutput(Y, output);

        session.Run(binding);

        Assert.Equal([2f, 4f, 6f], y);
    }

    [Fact]
    public void Outputs_bound_to_cpu_are_allocated_by_onnx_runtime()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var binding = session.CreateIoBinding();
        using var input = OrtValue.CreateTensor(new float[] { 1, -1 }.AsMemory(), [1, 2]);
        binding.BindInput(X, input);
        binding.BindOutputToCpu(Y);

        session.Run(binding);
        var outputs = binding.GetOutputValues();

        using var output = Assert.Single(outputs);
        Assert.Equal([1, 2], output.GetShape());
        Assert.Equal([2f, -2f], output.GetTensorSpan<float>().ToArray());
    }

    [Fact]
    public void Cleared_bindings_leave_no_outputs()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var binding = session.CreateIoBinding();
        using var input = OrtValue.CreateTensor(new float[1].AsMemory(), [1, 1]);
        binding.BindInput(X, input);
        binding.BindOutputToCpu(Y);

        binding.ClearBoundOutputs();
        binding.ClearBoundInputs();

        Assert.Empty(binding.GetOutputValues());
        Assert.Throws<OrtException>(() => session.Run(binding));
    }

    [Fact]
    public void Binding_an_unknown_name_fails_with_onnx_runtime_message()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var binding = session.CreateIoBinding();
        using var input = OrtValue.CreateTensor(new float[1].AsMemory(), [1, 1]);

        var error = Assert.Throws<OrtException>(() => binding.BindInput(new Utf8Name("nope"), input));

        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_style_loop_allocates_no_managed_memory()
    {
        const int capacity = 16;
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var binding = session.CreateIoBinding();
        var x = Enumerable.Range(0, capacity).Select(i => (float)i).ToArray();
        var y = new float[capacity];
        using var input = OrtValue.CreateTensor(x.AsMemory(), [1, 1]);
        using var output = OrtValue.CreateTensor(y.AsMemory(), [1, 1]);
        using var runOptions = new RunOptions();
        var shape = new long[] { 1, 1 };

        void Step(int i)
        {
            shape[1] = (i % capacity) + 1;
            input.Reshape(shape);
            output.Reshape(shape);
            binding.BindInput(X, input);
            binding.BindOutput(Y, output);
            session.Run(binding, runOptions);
        }

        for (var i = 0; i < 50; i++)
        {
            Step(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Step(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2f * (capacity - 1), y[capacity - 1]);
    }
}
