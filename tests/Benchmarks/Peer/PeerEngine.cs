using System.Globalization;
using Appliance.TestSupport;

namespace Appliance.Benchmarks.Peer;

/// <summary>
/// One side of the comparison: the command line of one measured run (a warm-up and one timed run) of an engine in a
/// process of its own, so its peak RSS is its own, and how to read the JSON it prints.
/// </summary>
internal sealed record PeerEngine(string Name, string Program, IReadOnlyList<string> Arguments, Func<string, EngineRun> ReadReport)
{
    /// <summary>The bandwidth probe runs after the measurement and only feeds the roofline, which is not compared; a small buffer keeps it short.</summary>
    private const string BandwidthProbeMib = "32";

    /// <param name="program">The appliance executable (Native AOT) or appliance.dll.</param>
    public static PeerEngine Appliance(string program, BenchmarkWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return new("appliance", program, ["bench", .. Common(workload), "--bandwidth-mib", BandwidthProbeMib, "--json"], EngineRun.FromApplianceJson);
    }

    /// <param name="program">This program (Appliance.Benchmarks.dll), whose `genai` mode runs ONNX Runtime GenAI.</param>
    public static PeerEngine GenAi(string program, BenchmarkWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return new("onnxruntime-genai", program, ["genai", .. Common(workload)], EngineRun.FromGenAiJson);
    }

    public EngineRun Run(IReadOnlyDictionary<string, string> environment) => ReadReport(ChildProcess.Run(Program, Arguments, environment));

    private static string[] Common(BenchmarkWorkload workload) =>
    [
        "--model", workload.ModelPath,
        "--threads", Invariant(workload.Threads),
        "--prompt-tokens", Invariant(workload.PromptTokens),
        "--gen-tokens", Invariant(workload.GenTokens),
        "--repetitions", "1",
    ];

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
