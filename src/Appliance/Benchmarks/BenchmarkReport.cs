namespace Appliance.Benchmarks;

/// <summary>What `appliance bench` measured; serialised as one snake_case JSON object by --json.</summary>
internal sealed record BenchmarkReport
{
    public required string Model { get; init; }
    public required string OrtVersion { get; init; }
    public required string OrtLibrary { get; init; }
    public required int Threads { get; init; }
    public required int PromptTokens { get; init; }
    public required int GenTokens { get; init; }
    public required int Repetitions { get; init; }
    public required bool KvSharedBuffer { get; init; }
    public required double PrefillTokensPerS { get; init; }
    public required double DecodeTokensPerS { get; init; }

    /// <summary>Median decode step over all measured runs (see <see cref="GenerationMeasurement"/>).</summary>
    public required double DecodeStepMedianMs { get; init; }
    public required double TtftMs { get; init; }
    public required long PeakRssBytes { get; init; }

    /// <summary>Native bytes the decoder preallocated for its KV cache (all layers, full context).</summary>
    public required long KvCacheBytes { get; init; }

    /// <summary>Peak RSS split into runtime, weights and session, and generation; null when procfs was not read.</summary>
    public MemoryBreakdown? Memory { get; init; }

    /// <summary>Peak RSS over (weight files + KV cache): what the process holds beyond the model itself.</summary>
    public double RssOverModelBytes => (double)PeakRssBytes / (WeightBytes + KvCacheBytes);
    public required double AllocBytesPerToken { get; init; }
    public required double BandwidthGbPerS { get; init; }
    public required long BandwidthBufferBytes { get; init; }
    public required long WeightBytes { get; init; }
    public required double KvBytesPerToken { get; init; }
    public required double BytesPerToken { get; init; }
    public required double RooflineTokensPerS { get; init; }
    public required double RooflineFraction { get; init; }

    /// <summary>Decode time per operator type from ONNX Runtime's profile; null unless --profile was given.</summary>
    public IReadOnlyList<OperatorTime>? DecodeProfile { get; init; }

    /// <summary>Decoding under a JSON schema; null unless --json-schema was given.</summary>
    public StructuredMeasurement? Structured { get; init; }
}
