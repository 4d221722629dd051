namespace Appliance.Benchmarks;

/// <summary>
/// Adds up the measured runs of one benchmark. Rates are total tokens over total time, so one slow run weighs in by
/// its time, not by a distorted ratio; the median step is taken over every step of every run; allocation is the worst run's.
/// </summary>
internal sealed class GenerationTally(int promptTokens)
{
    private readonly List<TimeSpan> _decodeSteps = [];
    private TimeSpan _prefill;
    private TimeSpan _firstToken;
    private int _runs;
    private double _allocatedBytesPerDecodedToken;

    /// <param name="prefill">The forward pass over the prompt.</param>
    /// <param name="timeToFirstToken">Prefill and choosing the first token.</param>
    /// <param name="decodeSteps">Each decode step (forward pass over one token and choosing the next) of the run.</param>
    /// <param name="allocatedBytesPerDecodedToken">Managed bytes the run allocated per steady decode step.</param>
    public void Add(TimeSpan prefill, TimeSpan timeToFirstToken, ReadOnlySpan<TimeSpan> decodeSteps, double allocatedBytesPerDecodedToken)
    {
        _prefill += prefill;
        _firstToken += timeToFirstToken;
        _decodeSteps.AddRange(decodeSteps);

        _runs++;
        _allocatedBytesPerDecodedToken = Math.Max(_allocatedBytesPerDecodedToken, allocatedBytesPerDecodedToken);
    }

    public GenerationMeasurement Measurement => _runs == 0
        ? throw new InvalidOperationException("No run was added.")
        : new GenerationMeasurement(
            promptTokens * _runs / _prefill.TotalSeconds,
            _decodeSteps.Count > 0 ? _decodeSteps.Count / _decodeSteps.Sum(step => step.TotalSeconds) : 0,
            MedianMilliseconds(_decodeSteps),
            _firstToken.TotalMilliseconds / _runs,
            _allocatedBytesPerDecodedToken);

    /// <summary>The middle step (the mean of the middle two for an even count); 0 without steps.</summary>
    private static double MedianMilliseconds(List<TimeSpan> steps)
    {
        if (steps.Count == 0)
        {
            return 0;
        }

        var sorted = steps.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1
            ? sorted[middle].TotalMilliseconds
            : (sorted[middle - 1].TotalMilliseconds + sorted[middle].TotalMilliseconds) / 2;
    }
}
