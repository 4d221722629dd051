namespace Appliance.Inference.Generation;

/// <summary>The generated tokens (stop token excluded), why generation ended, and how long it took.</summary>
public sealed record GenerationResult(IReadOnlyList<int> Tokens, FinishReason FinishReason, GenerationTimings Timings);
