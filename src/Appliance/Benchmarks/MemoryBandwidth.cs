namespace Appliance.Benchmarks;

/// <summary>Sustained memory read bandwidth: the best pass of streaming reads over a buffer far larger than the caches.</summary>
internal sealed record MemoryBandwidth(double BytesPerSecond, int Threads, long BufferBytes, int Passes)
{
    public double GigabytesPerSecond => BytesPerSecond / 1e9;
}
