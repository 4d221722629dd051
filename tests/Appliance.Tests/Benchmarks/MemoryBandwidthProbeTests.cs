using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class MemoryBandwidthProbeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Measures_a_plausible_bandwidth_over_the_whole_buffer(int threads)
    {
        var bandwidth = MemoryBandwidthProbe.Measure(threads, bufferBytes: 8 << 20, passes: 2);

        Assert.Equal(threads, bandwidth.Threads);
        Assert.Equal(2, bandwidth.Passes);
        Assert.InRange(bandwidth.BufferBytes, (8 << 20) - 4096, 8 << 20);
        // Anything from a slow SD-card board to a workstation's L3: finite and within physical reason.
        Assert.InRange(bandwidth.GigabytesPerSecond, 0.1, 10_000);
    }

    [Fact]
    public void A_buffer_too_small_to_split_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBandwidthProbe.Measure(4, bufferBytes: 64));

        Assert.Equal("bufferBytes", error.ParamName);
    }
}
