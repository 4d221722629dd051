namespace Appliance.Benchmarks.Peer;

/// <summary>The two engines' runs on one workload, in the order they ran.</summary>
internal sealed record PeerComparison(
    BenchmarkWorkload Workload, PeerEngine Ours, PeerEngine Peer, IReadOnlyList<EngineRun> OurRuns, IReadOnlyList<EngineRun> PeerRuns);
