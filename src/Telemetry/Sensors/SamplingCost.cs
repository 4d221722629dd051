using System.Diagnostics;

namespace Appliance.Telemetry.Sensors;

/// <summary>What one <see cref="SystemSensors.Sample"/> costs on this machine: wall time and managed bytes allocated.</summary>
public readonly record struct SamplingCost(int Samples, TimeSpan Mean, TimeSpan Max, long AllocatedBytesPerSample)
{
    /// <summary>Samples <paramref name="sensors"/> <paramref name="samples"/> times after one warm-up sample.</summary>
    public static SamplingCost Measure(SystemSensors sensors, int samples)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        sensors.Sample();
        var max = TimeSpan.Zero;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sensors.Sample();
            var elapsed = Stopwatch.GetElapsedTime(start);
            max = elapsed > max ? elapsed : max;
        }

        total.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new SamplingCost(samples, total.Elapsed / samples, max, allocated / samples);
    }

    public override string ToString() =>
        $"{Mean.TotalMilliseconds:0.000} ms mean, {Max.TotalMilliseconds:0.000} ms max over {Samples} samples, {AllocatedBytesPerSample} B allocated per sample";
}
