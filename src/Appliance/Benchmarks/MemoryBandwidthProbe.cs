using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Appliance.Benchmarks;

/// <summary>
/// Measures how fast this machine streams memory into the cores: each of N threads reads its share of a buffer
/// with wide vector loads, all starting together at a barrier; the fastest of several passes counts. Decoding a
/// token reads every weight once, so this bandwidth bounds decode speed (see <see cref="DecodeRoofline"/>).
/// </summary>
internal static unsafe class MemoryBandwidthProbe
{
    public const long DefaultBufferBytes = 256L << 20;
    public const int DefaultPasses = 5;

    // Read so the loads cannot be optimised away.
    private static ulong s_sink;

    public static MemoryBandwidth Measure(int threads, long bufferBytes = DefaultBufferBytes, int passes = DefaultPasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(passes);
        var stride = Vector<ulong>.Count * 4;
        var words = bufferBytes / sizeof(ulong) / (threads * stride) * (threads * stride);
        if (words == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferBytes), bufferBytes, $"The buffer must hold at least {threads * stride * sizeof(ulong)} bytes for {threads} threads.");
        }

        var buffer = (ulong*)NativeMemory.AlignedAlloc((nuint)(words * sizeof(ulong)), 4096);
        try
        {
            // Written first so every page is really backed: untouched pages all map to one zero page and read impossibly fast.
            new Span<ulong>(buffer, checked((int)Math.Min(words, int.MaxValue))).Fill(0x9E3779B97F4A7C15UL);
            for (var filled = (long)int.MaxValue; filled < words; filled += int.MaxValue)
            {
                new Span<ulong>(buffer + filled, (int)Math.Min(words - filled, int.MaxValue)).Fill(0x9E3779B97F4A7C15UL);
            }

            var best = RunPasses(buffer, words, threads, passes);
            return new MemoryBandwidth(words * sizeof(ulong) / best.TotalSeconds, threads, words * sizeof(ulong), passes);
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    private static TimeSpan RunPasses(ulong* buffer, long words, int threads, int passes)
    {
        var share = words / threads;
        using var barrier = new Barrier(threads);
        var workers = new Thread[threads - 1];
        for (var t = 1; t < threads; t++)
        {
            var start = buffer + (t * share);
            workers[t - 1] = new Thread(() =>
            {
                for (var pass = 0; pass < passes; pass++)
                {
                    barrier.SignalAndWait();
                    Publish(ReadAll(start, share));
                    barrier.SignalAndWait();
                }
            })
            { IsBackground = true, Name = $"bandwidth-probe-{t}" };
            workers[t - 1].Start();
        }

        var best = TimeSpan.MaxValue;
        for (var pass = 0; pass < passes; pass++)
        {
            barrier.SignalAndWait();
            var started = Stopwatch.GetTimestamp();
            Publish(ReadAll(buffer, share));
            barrier.SignalAndWait();
            var elapsed = Stopwatch.GetElapsedTime(started);
            best = elapsed < best ? elapsed : best;
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return best;
    }

    /// <summary>XORs the range together with four independent vector accumulators so loads overlap.</summary>
    private static ulong ReadAll(ulong* start, long words)
    {
        var width = Vector<ulong>.Count;
        Vector<ulong> a = default, b = default, c = default, d = default;
        for (long i = 0; i < words; i += 4 * width)
        {
            a ^= Vector.Load(start + i);
            b ^= Vector.Load(start + i + width);
            c ^= Vector.Load(start + i + (2 * width));
            d ^= Vector.Load(start + i + (3 * width));
        }

        var all = a ^ b ^ c ^ d;
        ulong result = 0;
        for (var lane = 0; lane < width; lane++)
        {
            result ^= all[lane];
        }

        return result;
    }

    private static void Publish(ulong value) => Interlocked.Add(ref s_sink, value);
}
