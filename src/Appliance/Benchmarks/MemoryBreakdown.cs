namespace Appliance.Benchmarks;

/// <summary>
/// Peak RSS split by when it became resident, as far as procfs can tell: what the host held before the model was
/// loaded (.NET runtime, JIT, CLI), what loading added (weight files, ONNX Runtime's session with its prepacked
/// copies), and what generation added on top (KV pages written, activations, arena growth, kernel code paged in). The KV cache is reported beside them: its reservation for the whole context, and the pages of it
/// resident at the end (written positions only; they count in generation).
/// </summary>
internal sealed record MemoryBreakdown(long BeforeLoadBytes, long AfterLoadBytes, long PeakBytes, long KvCacheAllocatedBytes, long KvCacheResidentBytes)
{
    // The three shares always add up to the peak: procfs counters are approximate (per-thread RSS batching), and in a
    // shared host (the test runner) other work can shrink RSS between readings, so a later peak may read below an
    // earlier current value.

    /// <summary>Resident before the model loaded: the runtime and the command itself.</summary>
    public long RuntimeBytes => Math.Min(BeforeLoadBytes, PeakBytes);

    /// <summary>Added by loading: weights and the ONNX Runtime session (prepacked weights, optimised graph).</summary>
    public long WeightsAndSessionBytes => Math.Clamp(AfterLoadBytes - BeforeLoadBytes, 0, PeakBytes - RuntimeBytes);

    /// <summary>Added between the end of loading and the peak: KV pages written, activations, arena growth.</summary>
    public long GenerationBytes => PeakBytes - RuntimeBytes - WeightsAndSessionBytes;
}
