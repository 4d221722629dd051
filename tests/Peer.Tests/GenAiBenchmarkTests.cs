using Appliance.Benchmarks.Peer;
using Appliance.Cli;
using System.CommandLine;
using System.Text.Json;

namespace Appliance.Peer.Tests;

[Collection(GenAiFixtures.Name)]
public sealed class GenAiBenchmarkTests(TinyPeerModels models)
{
    [Fact]
    public void The_genai_mode_reports_speed_and_memory_named_as_the_appliance_names_them()
    {
        var directory = models.Model("tiny-qwen2", "int4");

        var report = GenAiCommand.Measure(new BenchmarkWorkload(directory, Threads: 1, PromptTokens: 12, GenTokens: 6, Repetitions: 2));
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, PeerJsonContext.Default.GenAiBenchmarkReport));

        var root = json.RootElement;
        foreach (var field in new[] { "prefill_tokens_per_s", "decode_tokens_per_s", "decode_step_median_ms", "ttft_ms", "generator_setup_ms" })
        {
            Assert.True(root.GetProperty(field).GetDouble() > 0, $"{field} should be positive");
        }

        Assert.True(root.GetProperty("peak_rss_bytes").GetInt64() > 1 << 20);
        Assert.Equal(directory, root.GetProperty("model").GetString());
        Assert.Equal("0.20.0", root.GetProperty("genai_version").GetString());
        Assert.Equal(EngineEnvironment.OrtLibraryBeside(AppContext.BaseDirectory), root.GetProperty("ort_library")[0].GetString());
        Assert.Equal([1, 12, 6, 2], new[] { "threads", "prompt_tokens", "gen_tokens", "repetitions" }.Select(name => root.GetProperty(name).GetInt32()));
        var run = EngineRun.FromGenAiJson(json.RootElement.GetRawText());
        Assert.Equal(
            (report.PrefillTokensPerS, report.DecodeTokensPerS, report.DecodeStepMedianMs, report.TtftMs, report.PeakRssBytes),
            (run.PrefillTokensPerS, run.DecodeTokensPerS, run.DecodeStepMedianMs, run.TtftMs, run.PeakRssBytes));
    }

    [Theory]
    [InlineData("--threads", "0", "error: --threads must be at least 1, got 0.")]
    [InlineData("--gen-tokens", "-1", "error: --gen-tokens must be at least 1, got -1.")]
    public async Task Impossible_sizes_are_one_error_line(string option, string value, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CommandLineRunner.InvokeAsync(new RootCommand { GenAiCommand.Create() }, ["genai", "--model", "m", option, value], output, error);

        Assert.Equal(CommandLineRunner.UsageExitCode, exitCode);
        Assert.Equal(message, error.ToString().Trim());
    }
}
