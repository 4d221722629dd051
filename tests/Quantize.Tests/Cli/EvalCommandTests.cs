using Appliance.Quantize.Cli;
using Appliance.Quantize.Evaluation;
using Appliance.Quantize.Tests.Conversion;
using Appliance.Quantize.Tests.Evaluation;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Cli;

public sealed class EvalCommandTests(QuantizedModelsFixture models) : IClassFixture<QuantizedModelsFixture>, IDisposable
{
    private readonly TempDirectory directory = new("h3-eval-cli");

    public void Dispose() => directory.Dispose();

    [Fact]
    public void Report_lists_the_figures_says_the_weights_are_synthetic_and_shows_the_per_layer_error()
    {
        var text = EvaluationText.Write(directory.Path, repetitions: 4);

        var (exitCode, stdout, stderr) = Run(
            "--reference", models.Output("tiny-qwen3", "fp32"), "--candidate", models.Output("tiny-qwen3", "int4"), "--text", text, "--tokens", "300", "--context", "128", "--threads", "1");

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("candidate ", StringComparison.Ordinal) && l.EndsWith("(int4, block 32, rtn, embeddings int4, lm_head int4)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("positions scored  300 (second half of 5 windows of 128 tokens)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("logits per run    reference one position (last-position graph), candidate one position", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^KL divergence     mean \d\.\d{6} ± \d\.\d{6}, median \d\.\d{6}, p99 \d\.\d{6}, max \d\.\d{6} \(nats\)$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^top-1 agreement   \d+\.\d\d %$"));
        Assert.Contains(lines, l => l.StartsWith("perplexity        reference ", StringComparison.Ordinal));
        Assert.Contains("not the quality of a trained model", stdout, StringComparison.Ordinal);
        Assert.Contains(lines, l => l == "layer       qkv_proj        o_proj  gate_up_proj     down_proj");
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^    2 +\d\.\d\d % +\d\.\d\d % +\d\.\d\d % +\d\.\d\d %$"));
        Assert.Contains(lines, l => l.StartsWith("model.embed_tokens (tied lm_head): int4 [512 x 96], ", StringComparison.Ordinal));
        Assert.EndsWith("scored 300/300 positions", stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_too_short_for_the_positions_asked_for_is_one_error_naming_the_file()
    {
        var text = Path.Combine(directory.Path, "short.txt");
        File.WriteAllText(text, "The box answers questions. The box answers questions. The box answers questions.");

        var (exitCode, stdout, stderr) = Run(
            "--reference", models.Output("tiny-llama", "fp32"), "--candidate", models.Output("tiny-llama", "int8"), "--text", text, "--tokens", "2000");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        var error = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith($"eval: {text} gives only ", error, StringComparison.Ordinal);
        Assert.Contains("--tokens 2000 needs about 4000 tokens of text", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_that_tokenize_differently_are_refused()
    {
        var text = EvaluationText.Write(directory.Path, repetitions: 1);

        var (exitCode, _, stderr) = Run("--reference", models.Output("tiny-llama", "fp32"), "--candidate", models.Output("tiny-qwen2", "int8"), "--text", text);

        Assert.Equal(1, exitCode);
        Assert.Contains("the two models tokenize differently", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_text_file_is_named()
    {
        var missing = Path.Combine(directory.Path, "missing.txt");

        var (exitCode, _, stderr) = Run("--reference", models.Output("tiny-llama", "fp32"), "--candidate", models.Output("tiny-llama", "int8"), "--text", missing);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"eval: {missing}: cannot read the text to score", stderr, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = EvalCommand.Create().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
