using Appliance.Inference.Native;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Native;

public sealed class SessionOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("ort-options");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Settings_are_accepted_and_a_session_runs_with_them()
    {
        using var options = new SessionOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            OptimizationLevel = GraphOptimizationLevel.Extended,
        };
        options.SetExecutionMode(parallel: false);
        options.EnableMemPattern(false);
        options.EnableCpuMemArena(false);
        options.AddConfigEntry("session.intra_op.allow_spinning", "0");

        using var session = new InferenceSession(OrtTestEnvironment.Instance, NativeTestModels.Doubler(_dir.Path), options);
        using var input = OrtValue.CreateTensor(new float[] { 3 }.AsMemory(), [1, 1]);
        using var output = Assert.Single(session.Run(["x"], [input], ["y"]));

        Assert.Equal(6f, output.GetTensorSpan<float>()[0]);
        Assert.Equal(1, options.IntraOpThreads);
        Assert.Equal(GraphOptimizationLevel.Extended, options.OptimizationLevel);
    }

    [Fact]
    public void Cuda_on_a_cpu_only_library_names_the_library_and_the_missing_provider()
    {
        using var options = new SessionOptions();

        var error = Assert.Throws<NotSupportedException>(() => options.AppendCuda());

        Assert.Contains(OrtLibrary.LoadedPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("CUDAExecutionProvider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorRt_on_a_cpu_only_library_names_the_library_and_the_missing_provider()
    {
        using var options = new SessionOptions();

        var error = Assert.Throws<NotSupportedException>(() => options.AppendTensorRt());

        Assert.Contains(OrtLibrary.LoadedPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("TensorrtExecutionProvider", error.Message, StringComparison.Ordinal);
    }
}
