namespace Appliance.Benchmarks;

/// <summary>
/// Samples the thread's managed allocation counter at every generated token; steady state starts at the third token,
/// after the first decode steps have created whatever they keep.
/// </summary>
internal sealed class AllocationCounter(int capacity)
{
    private const int SteadyFrom = 2;
    private readonly long[] _bytes = new long[capacity];
    private int _count;

    public double BytesPerSteadyToken =>
        _count > SteadyFrom + 1 ? (_bytes[_count - 1] - _bytes[SteadyFrom]) / (double)(_count - 1 - SteadyFrom) : 0;

    public void Restart() => _count = 0;

    /// <summary>Shaped as a token callback: always lets generation go on.</summary>
    public bool Record(int token)
    {
        _bytes[_count++] = GC.GetAllocatedBytesForCurrentThread();
        return true;
    }
}
