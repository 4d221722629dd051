namespace Appliance.Benchmarks.Peer;

/// <summary>
/// What the `genai` mode measured, one snake_case JSON object; the speed and memory fields are named as in
/// `appliance bench --json`.
/// </summary>
internal sealed record GenAiBenchmarkReport
{
    public required string Model { get; init; }
    public required string GenaiVersion { get; init; }

    /// <summary>The ONNX Runtime library file(s) GenAI mapped into this process.</summary>
    public required IReadOnlyList<string> OrtLibrary { get; init; }
    public required int Threads { get; init; }
    public required int PromptTokens { get; init; }
    public required int GenTokens { get; init; }
    public required int Repetitions { get; init; }
    public required double PrefillTokensPerS { get; init; }
    public required double DecodeTokensPerS { get; init; }
    public required double DecodeStepMedianMs { get; init; }
    public required double TtftMs { get; init; }

    /// <summary>Creating a Generator before each run (GenAI allocates its KV cache there); not part of the TTFT.</summary>
    public required double GeneratorSetupMs { get; init; }
    public required long PeakRssBytes { get; init; }
    public required double AllocBytesPerToken { get; init; }
}
