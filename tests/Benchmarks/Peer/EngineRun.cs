using System.Text.Json;

namespace Appliance.Benchmarks.Peer;

/// <summary>What one process of one engine measured, as far as the comparison shows it.</summary>
/// <param name="Runtime">What the engine ran on, as its report names it (ONNX Runtime's version, or GenAI's and the library it loaded).</param>
/// <param name="DecodeStepMedianMs">The median decode step, which a stalled step does not move (the rate it does).</param>
internal sealed record EngineRun(double PrefillTokensPerS, double DecodeTokensPerS, double DecodeStepMedianMs, double TtftMs, long PeakRssBytes, string Runtime)
{
    /// <summary>Reads `appliance bench --json`.</summary>
    public static EngineRun FromApplianceJson(string json)
    {
        var report = JsonSerializer.Deserialize(json, BenchmarkJsonContext.Default.BenchmarkReport)
            ?? throw new InvalidOperationException("appliance bench printed null instead of a report.");
        return new EngineRun(report.PrefillTokensPerS, report.DecodeTokensPerS, report.DecodeStepMedianMs, report.TtftMs, report.PeakRssBytes, $"ONNX Runtime {report.OrtVersion}");
    }

    /// <summary>Reads the `genai` mode's JSON.</summary>
    public static EngineRun FromGenAiJson(string json)
    {
        var report = JsonSerializer.Deserialize(json, PeerJsonContext.Default.GenAiBenchmarkReport)
            ?? throw new InvalidOperationException("the genai mode printed null instead of a report.");
        return new EngineRun(report.PrefillTokensPerS, report.DecodeTokensPerS, report.DecodeStepMedianMs, report.TtftMs, report.PeakRssBytes, $"GenAI {report.GenaiVersion}, {string.Join(", ", report.OrtLibrary)}");
    }
}
