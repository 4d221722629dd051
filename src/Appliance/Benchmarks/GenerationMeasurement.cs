namespace Appliance.Benchmarks;

/// <summary>Generation speed averaged over the measured repetitions.</summary>
internal sealed record GenerationMeasurement(
    double PrefillTokensPerSecond,
    double DecodeTokensPerSecond,
    double TimeToFirstTokenMilliseconds,
    double AllocatedBytesPerDecodedToken);
