using System.CommandLine;
using Appliance.Quantize.Cli;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Cli;

public sealed class SynthCommandTests
{
    [Fact]
    public void Synth_writes_a_loadable_checkpoint_and_reports_it()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();

        var exitCode = Run(output, "synth", "--shape", "tiny-qwen3", "--seed", "9", "--out", dir.Path, "--dtype", "f16");

        Assert.Equal(0, exitCode);
        Assert.Contains("random weights, not a trained model", output.ToString(), StringComparison.Ordinal);
        using var checkpoint = HfCheckpoint.Open(dir.Path);
        Assert.Equal(HfArchitecture.Qwen3, checkpoint.Config.Architecture);
        Assert.Equal(SafeTensorDType.F16, checkpoint.Describe(HfTensorNames.EmbedTokens).DType);
    }

    [Theory]
    [InlineData("--shape", "huge", "--seed", "1")]
    [InlineData("--shape", "tiny-llama", "--seed", "1", "--dtype", "f8")]
    [InlineData("--shape", "tiny-llama")]
    public void Synth_rejects_unknown_shapes_dtypes_and_missing_options(params string[] arguments)
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();

        var exitCode = Run(output, ["synth", .. arguments, "--out", dir.Combine("m")]);

        Assert.NotEqual(0, exitCode);
        Assert.False(File.Exists(dir.Combine("m", "model.safetensors")));
    }

    [Fact]
    public void Synth_reports_a_bad_tokenizer_without_a_stack_trace()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();

        var exitCode = Run(output, "synth", "--shape", "tiny-llama", "--seed", "1", "--out", dir.Combine("m"), "--tokenizer", dir.Combine("missing.json"));

        Assert.Equal(1, exitCode);
        Assert.Contains("missing.json: tokenizer file not found", output.ToString(), StringComparison.Ordinal);
    }

    private static int Run(StringWriter output, params string[] args)
    {
        var root = new RootCommand { SynthCommand.Create() };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
    }
}
