namespace Appliance.Benchmarks.Peer;

/// <summary>GenAI's generation speed, and the mean time creating a generator took before each run.</summary>
internal sealed record GenAiMeasurement(GenerationMeasurement Speed, double GeneratorSetupMilliseconds);
