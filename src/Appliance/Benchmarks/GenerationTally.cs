namespace Appliance.Benchmarks;

/// <summary>
/// Adds up the measured runs of one benchmark. Rates are total tokens over total time, so one slow run weighs in by
/// its time, not by a distorted ratio; allocation is the worst run's.
/// </summary>
internal sealed class GenerationTally(int promptTokens)
{
    private TimeSpan _prefill;
    private TimeSpan _firstToken;
    private TimeSpan _decode;
    private int _decodeSteps;
    private int _runs;
    private double _allocatedBytesPerDecodedToken;

    /// <param name="prefill">The forward pass over the prompt.</param>
    /// <param name="timeToFirstToken">Prefill and choosing the first token.</param>
    /// <param name="decode">All decode steps (forward pass over one token and choosing the next) of the run.</param>
    /// <param name="decodeSteps">How many decode steps <paramref name="decode"/> covers.</param>
    /// <param name="allocatedBytesPerDecodedToken">Managed bytes the run allocated per steady decode step.</param>
    public void Add(TimeSpan prefill, TimeSpan timeToFirstToken, TimeSpan decode, int decodeSteps, double allocatedBytesPerDecodedToken)
    {
        _prefill += prefill;
        _firstToken += timeToFirstToken;
        _decode += decode;
        _decodeSteps += decodeSteps;
        _runs++;
        _allocatedBytesPerDecodedToken = Math.Max(_allocatedBytesPerDecodedToken, allocatedBytesPerDecodedToken);
    }

    public GenerationMeasurement Measurement => _runs == 0
        ? throw new InvalidOperationException("No run was added.")
        : new GenerationMeasurement(
            promptTokens * _runs / _prefill.TotalSeconds,
            _decodeSteps > 0 ? _decodeSteps / _decode.TotalSeconds : 0,
            _firstToken.TotalMilliseconds / _runs,
            _allocatedBytesPerDecodedToken);
}
