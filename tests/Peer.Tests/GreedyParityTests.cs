using System.Globalization;
using Appliance.Benchmarks.Peer;
using Appliance.TestSupport;
using Xunit.Abstractions;

namespace Appliance.Peer.Tests;

/// <summary>
/// ONNX Runtime GenAI opens our model directories as `quantize convert` wrote them and, decoding greedily, chooses
/// exactly the ids our engine chooses. Ours runs as the built `appliance generate`, on the same libonnxruntime.so.
/// </summary>
[Collection(GenAiFixtures.Name)]
public sealed class GreedyParityTests(TinyPeerModels models, ITestOutputHelper output)
{
    private const int NewTokens = 32;

    [Theory]
    [MemberData(nameof(TinyPeerModels.All), MemberType = typeof(TinyPeerModels))]
    public void GenAI_s_greedy_ids_equal_the_appliance_s(string shape, string precision)
    {
        var directory = models.Model(shape, precision);
        using var model = GenAiModels.Open(directory, intraOpThreads: 1);
        foreach (var (length, seed) in new[] { (1, 1), (9, 2), (40, 3) })
        {
            var random = new Random(seed);
            var prompt = Enumerable.Range(0, length).Select(_ => random.Next(0, 500)).ToArray();

            var ours = ApplianceGreedy(directory, prompt);
            var theirs = GenAiGreedy.Generate(model, prompt, NewTokens);

            Assert.NotEmpty(ours);
            Assert.Equal(ours, theirs);
            output.WriteLine($"{shape} {precision}, prompt of {length}: {ours.Length} identical ids");
        }
    }

    private static int[] ApplianceGreedy(string directory, int[] prompt)
    {
        var printed = ChildProcess.Run(
            Path.Combine(AppContext.BaseDirectory, "appliance.dll"),
            ["generate", "--model", directory, "--token-ids", string.Join(',', prompt), "--max-new-tokens", NewTokens.ToString(CultureInfo.InvariantCulture), "--greedy", "--threads", "1"],
            EngineEnvironment.Create(AppContext.BaseDirectory, Environment.GetEnvironmentVariable));
        return [.. printed.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture))];
    }
}
