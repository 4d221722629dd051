using Appliance.Inference.Native;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Native;

public sealed class RunOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("ort-runoptions");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Terminate_makes_runs_fail_and_reset_lets_them_run_again()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var input = OrtValue.CreateTensor(new float[] { 1 }.AsMemory(), [1, 1]);
        using var options = new RunOptions { Tag = "cancel-test" };

        options.Terminate();
        var error = Assert.Throws<OrtException>(() => session.Run(["x"], [input], ["y"], options));
        Assert.Contains("terminate", error.Message, StringComparison.OrdinalIgnoreCase);

        options.ResetTerminate();
        using var output = Assert.Single(session.Run(["x"], [input], ["y"], options));
        Assert.Equal(2f, output.GetTensorSpan<float>()[0]);
        Assert.Equal("cancel-test", options.Tag);
    }

    [Fact]
    public void Terminate_also_stops_bound_runs()
    {
        using var session = OrtTestEnvironment.Open(NativeTestModels.Doubler(_dir.Path));
        using var binding = session.CreateIoBinding();
        using var input = OrtValue.CreateTensor(new float[] { 1 }.AsMemory(), [1, 1]);
        binding.BindInput(new Utf8Name("x"), input);
        binding.BindOutputToCpu(new Utf8Name("y"));
        using var options = new RunOptions();

        options.Terminate();

        Assert.Throws<OrtException>(() => session.Run(binding, options));
    }
}
