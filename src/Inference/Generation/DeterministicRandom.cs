namespace Appliance.Inference.Generation;

/// <summary>
/// xoshiro256** seeded through SplitMix64, with Gaussian samples by the Marsaglia polar method. Every step is integer
/// arithmetic or a correctly rounded IEEE operation (+, -, *, /, sqrt), so a seed yields the same bits on every
/// platform and .NET version — System.Random's algorithm and Math.Log's last bit are unspecified. That makes seeded
/// sampling reproducible and synthetic weights byte-identical everywhere.
/// </summary>
public sealed class DeterministicRandom
{
    private const double Ln2 = 0.6931471805599453;
    private const double Sqrt2 = 1.4142135623730951;

    // 1 / (2k + 1): the coefficients of the atanh series.
    private static readonly double[] AtanhSeries = [.. Enumerable.Range(0, 12).Select(k => 1.0 / ((2 * k) + 1))];

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    public DeterministicRandom(ulong seed) => Reseed(seed);

    /// <summary>A generator for one named stream (e.g. one tensor), independent of the order streams are drawn in.</summary>
    public static DeterministicRandom ForStream(ulong seed, string streamName)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        return new DeterministicRandom(seed ^ Fnv1a64(streamName));
    }

    /// <summary>Restarts the stream as if newly created with <paramref name="seed"/>.</summary>
    public void Reseed(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
        _hasSpareGaussian = false;
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal sample.</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }

        double u, v, s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var factor = Math.Sqrt(-2 * NaturalLog(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    /// <summary>Fills <paramref name="destination"/> with mean + stddev * N(0, 1), rounded to float.</summary>
    public void FillGaussian(Span<float> destination, double mean, double standardDeviation)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(mean + (standardDeviation * NextGaussian()));
        }
    }

    /// <summary>ln(x) for positive normal x from IEEE-exact operations only (see the class remarks).</summary>
    public static double NaturalLog(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        var mantissa = BitConverter.Int64BitsToDouble((bits & 0xF_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (mantissa > Sqrt2)
        {
            mantissa /= 2;
            exponent++;
        }

        // ln(m) = 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + ...), t = (m - 1) / (m + 1), |t| <= 0.172:
        // twelve terms reach double precision.
        var t = (mantissa - 1) / (mantissa + 1);
        var t2 = t * t;
        var series = AtanhSeries[^1];
        for (var k = AtanhSeries.Length - 2; k >= 0; k--)
        {
            series = AtanhSeries[k] + (t2 * series);
        }

        var sum = t * series;
        return (exponent * Ln2) + (2 * sum);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E37_79B9_7F4A_7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a64(string text)
    {
        var hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x0000_0100_0000_01B3UL;
        }

        return hash;
    }
}
