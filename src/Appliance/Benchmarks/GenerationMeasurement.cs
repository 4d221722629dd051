namespace Appliance.Benchmarks;

/// <summary>Generation speed averaged over the measured repetitions.</summary>
/// <param name="DecodeStepMedianMilliseconds">
/// The median decode step of all runs: unlike the rate, one step stalled by the machine (another process, real-time
/// throttling) does not move it, so two engines' medians compare their per-step work.
/// </param>
internal sealed record GenerationMeasurement(
    double PrefillTokensPerSecond,
    double DecodeTokensPerSecond,
    double DecodeStepMedianMilliseconds,
    double TimeToFirstTokenMilliseconds,
    double AllocatedBytesPerDecodedToken);
