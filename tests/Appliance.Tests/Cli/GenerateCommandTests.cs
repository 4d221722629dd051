using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Tests.Cli;

public sealed class GenerateCommandTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Greedy_generation_prints_the_generator_s_ids_comma_separated()
    {
        var run = await CliRun.InvokeAsync("generate", "--model", model.ModelPath, "--token-ids", "5,6,7", "--max-new-tokens", "6", "--greedy", "--threads", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Join(',', Expected([5, 6, 7], 6)), run.Output.Trim());
        Assert.Matches(@"^\d+ tokens \(greedy\), finish: (Length|EndOfSequence); prefill 3 tokens in ", run.Error);
    }

    [Fact]
    public async Task Seeded_sampling_repeats_and_reports_its_settings()
    {
        string[] args = ["generate", "--model", model.ModelPath, "--token-ids", "1", "2", "--max-new-tokens", "8", "--temperature", "1.2", "--top-k", "40", "--seed", "77"];

        var first = await CliRun.InvokeAsync(args);
        var second = await CliRun.InvokeAsync(args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
        Assert.Contains("(temperature 1.2, top-k 40, top-p 1, seed 77)", first.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "generate", "--token-ids", "1" }, 2, "error: Option '--model' is required.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "1,x" }, 2, "error: --token-ids: \"x\" is not a token id (a non-negative integer).")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "1", "--greedy", "--seed", "3" }, 1, "error: --greedy cannot be combined with --temperature, --top-k, --top-p, --min-p or --seed.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "1", "--max-new-tokens", "0" }, 1, "error: --max-new-tokens must be at least 1, got 0.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "1", "--max-new-tokens", "96" }, 1, "error: prompt (1 tokens) + max new tokens (96) = 97 exceeds the model's maximum sequence length of 96.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "1", "--threads", "-2" }, 1, "error: --threads must be 0 or more, got -2.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "512" }, 1, "error: Token id 512 at position 0 is outside the vocabulary [0, 512). (Parameter 'tokens'); Actual value was 512.")]
    public async Task Bad_arguments_give_one_error_line_and_a_failing_exit_code(string[] args, int exitCode, string message)
    {
        var run = await CliRun.InvokeAsync([.. args.Select(arg => arg == "MODEL" ? model.ModelPath : arg)]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal([message], run.ErrorLines);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_missing_model_directory_is_one_line_naming_it()
    {
        var missing = model.Combine("not-there");

        var run = await CliRun.InvokeAsync("generate", "--model", missing, "--token-ids", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"error: {missing}: model directory does not exist."], run.ErrorLines);
    }

    private int[] Expected(int[] prompt, int maxNewTokens)
    {
        using var generator = Generator.Open(ModelDirectory.Open(model.ModelPath), new DecoderSessionOptions { IntraOpThreads = 1 });
        return [.. generator.Generate(prompt, new GenerationOptions { MaxNewTokens = maxNewTokens }).Tokens];
    }
}
