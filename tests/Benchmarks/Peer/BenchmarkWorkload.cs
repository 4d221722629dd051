namespace Appliance.Benchmarks.Peer;

/// <summary>What one benchmark run measures: a model, its thread count and the generation to time.</summary>
internal sealed record BenchmarkWorkload(string ModelPath, int Threads, int PromptTokens, int GenTokens, int Repetitions);
