using Appliance.Inference.Runtime;
using Appliance.TestSupport;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Tests.Runtime;

public sealed unsafe class StepBindingTests : IDisposable
{
    private static readonly BoundName X = new("x");
    private static readonly BoundName Y = new("y");
    private readonly TempDirectory _dir = new("ort-step-binding");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Outputs_bound_to_native_tensors_are_written_in_place()
    {
        using var session = OrtGraphs.Open(TestGraphs.Doubler(_dir.Path));
        using var binding = new StepBinding(session);
        using var input = Tensor([1, 2, 3], 3);
        using var output = Tensor([0, 0, 0], 3);
        binding.BindInput(X, input);
        binding.BindOutput(Y, output);
        using var runOptions = new RunOptions();

        session.RunWithBinding(runOptions, binding.Binding);

        Assert.Equal([2f, 4f, 6f], new Span<float>(output.Data, 3).ToArray());
    }

    [Fact]
    public void Outputs_bound_to_the_cpu_are_allocated_by_onnx_runtime()
    {
        using var session = OrtGraphs.Open(TestGraphs.Doubler(_dir.Path));
        using var binding = new StepBinding(session);
        using var input = Tensor([1, -1], 2);
        binding.BindInput(X, input);
        binding.BindOutputToCpu(Y);
        using var runOptions = new RunOptions();

        session.RunWithBinding(runOptions, binding.Binding);

        using var outputs = binding.Binding.GetOutputValues();
        var output = Assert.Single(outputs);
        Assert.Equal([1, 2], output.GetTensorTypeAndShape().Shape);
        Assert.Equal([2f, -2f], output.GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Binding_an_unknown_name_fails_with_onnx_runtime_s_message()
    {
        using var session = OrtGraphs.Open(TestGraphs.Doubler(_dir.Path));
        using var binding = new StepBinding(session);
        using var input = Tensor([1], 1);

        var error = Assert.Throws<InvalidOperationException>(() => binding.BindInput(new BoundName("nope"), input));

        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_larger_than_the_buffer_is_refused_with_sizes()
    {
        using var tensor = Tensor([1, 2], 2);

        var error = Assert.Throws<ArgumentException>(() => tensor.Reshape([1, 3]));

        Assert.Contains("needs 12 bytes; this buffer holds 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Terminated_run_options_stop_a_bound_run_until_reset()
    {
        using var session = OrtGraphs.Open(TestGraphs.Doubler(_dir.Path));
        using var binding = new StepBinding(session);
        using var input = Tensor([1], 1);
        using var output = Tensor([0], 1);
        binding.BindInput(X, input);
        binding.BindOutput(Y, output);
        using var runOptions = new RunOptions { Terminate = true };

        var error = Assert.Throws<OnnxRuntimeException>(() => session.RunWithBinding(runOptions, binding.Binding));
        Assert.Contains("terminate", error.Message, StringComparison.OrdinalIgnoreCase);

        runOptions.Terminate = false;
        session.RunWithBinding(runOptions, binding.Binding);
        Assert.Equal(2f, *(float*)output.Data);
    }

    [Fact]
    public void Decode_style_loop_allocates_no_managed_memory()
    {
        const int capacity = 16;
        using var session = OrtGraphs.Open(TestGraphs.Doubler(_dir.Path));
        using var binding = new StepBinding(session);
        using var input = Tensor([.. Enumerable.Range(0, capacity).Select(i => (float)i)], 1);
        using var output = Tensor(new float[capacity], 1);
        using var runOptions = new RunOptions();
        var shape = new long[] { 1, 1 };

        void Step(int i)
        {
            shape[1] = (i % capacity) + 1;
            input.Reshape(shape);
            output.Reshape(shape);
            binding.BindInput(X, input);
            binding.BindOutput(Y, output);
            session.RunWithBinding(runOptions, binding.Binding);
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
        Assert.Equal(2f * (capacity - 1), ((float*)output.Data)[capacity - 1]);
    }

    // A [1, n] float tensor holding values, with room for values.Length elements.
    private static NativeTensor Tensor(float[] values, long columns)
    {
        OrtLibrary.EnsureLoaded();
        var tensor = new NativeTensor(OnnxElementType.Float, values.Length * sizeof(float), [1, columns]);
        values.CopyTo(new Span<float>(tensor.Data, values.Length));
        return tensor;
    }
}
