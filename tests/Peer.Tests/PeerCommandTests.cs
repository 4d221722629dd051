using Appliance.Benchmarks.Peer;
using Appliance.Cli;
using System.CommandLine;

namespace Appliance.Peer.Tests;

/// <summary>The `peer` mode end to end: the built appliance and the `genai` mode, each in processes of their own.</summary>
[Collection(GenAiFixtures.Name)]
public sealed class PeerCommandTests(TinyPeerModels models)
{
    [Fact]
    public async Task The_comparison_alternates_fresh_processes_and_prints_both_engines_figures()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var appliance = Path.Combine(AppContext.BaseDirectory, "appliance.dll");

        var exitCode = await CommandLineRunner.InvokeAsync(
            new RootCommand { PeerCommand.Create() },
            ["peer", "--model", models.Model("tiny-llama", "int4"), "--threads", "1", "--prompt-tokens", "8", "--gen-tokens", "4", "--repetitions", "2", "--appliance", appliance],
            output,
            error);

        Assert.True(exitCode == 0, error.ToString());
        var progress = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            ["round 1/2 appliance:", "round 1/2 onnxruntime-genai:", "round 2/2 appliance:", "round 2/2 onnxruntime-genai:"],
            progress.Select(line => line[..(line.IndexOf(':', StringComparison.Ordinal) + 1)]));
        var table = output.ToString();
        Assert.Contains($"appliance          dotnet {appliance} bench (on ONNX Runtime ", table, StringComparison.Ordinal);
        Assert.Contains($"(on GenAI 0.20.0, {EngineEnvironment.OrtLibraryBeside(AppContext.BaseDirectory)})", table, StringComparison.Ordinal);
        foreach (var row in new[] { "prefill (tokens/s)", "decode (tokens/s)", "TTFT (ms)", "peak RSS (MiB)" })
        {
            Assert.Matches($@"\n{System.Text.RegularExpressions.Regex.Escape(row)} +\d+\.\d \[\d+\.\d, \d+\.\d\] +\d+\.\d \[\d+\.\d, \d+\.\d\] +\d+\.\d\d\r?\n", table);
        }
    }
}
