using Appliance.Cli;
using Appliance.TestSupport;
using System.CommandLine;
using System.Globalization;

namespace Appliance.Benchmarks.Peer;

/// <summary>
/// `peer`: `appliance bench --json` against the `genai` mode on one model, alternating the two (ABAB) with every run
/// in a fresh process, then both engines' prefill, decode, TTFT and peak RSS side by side.
/// </summary>
internal static class PeerCommand
{
    public static Command Create()
    {
        var workload = new WorkloadOptions("Rounds; each runs the appliance, then GenAI, each in a fresh process with its own warm-up");
        var appliance = new Option<string?>("--appliance")
        {
            Description = "The appliance to measure: an executable or appliance.dll (default: artifacts/aot/appliance if built, else the appliance.dll beside this program)",
        };
        var command = new Command("peer", "Compare the appliance with ONNX Runtime GenAI on one model, ABAB, one process per run") { appliance };
        workload.AddTo(command);
        command.SetAction((parse, _) => CommandLineRunner.RunAsync(parse, output =>
        {
            var work = workload.Read(parse);
            var baseDirectory = AppContext.BaseDirectory;
            var program = ApplianceBinary.Choose(parse.GetValue(appliance), ApplianceBinary.DefaultCandidates(RepoPaths.Root, baseDirectory));
            var ours = PeerEngine.Appliance(program, work);
            var peer = PeerEngine.GenAi(Path.Combine(baseDirectory, "Appliance.Benchmarks.dll"), work);
            var environment = EngineEnvironment.Create(baseDirectory, Environment.GetEnvironmentVariable);
            var progress = parse.InvocationConfiguration.Error;
            var runs = Alternation.Run([ours, peer], work.Repetitions, engine => engine.Run(environment), (round, engine, run) => progress.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"round {round}/{work.Repetitions} {engine.Name}: prefill {run.PrefillTokensPerS:F1} tokens/s, decode {run.DecodeTokensPerS:F2} tokens/s, TTFT {run.TtftMs:F1} ms, peak RSS {run.PeakRssBytes / 1048576.0:F1} MiB")));
            output.WriteLine(PeerTable.Format(new PeerComparison(work, ours, peer, runs[0], runs[1])));
            return Task.FromResult(0);
        }));
        return command;
    }
}
