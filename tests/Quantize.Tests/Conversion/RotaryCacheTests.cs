using Appliance.Quantize.Conversion;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Tests.Conversion;

public sealed class RotaryCacheTests
{
    private static readonly RopeScaling Llama31 = new(RopeScaling.Llama3Type, 8, 1, 4, 8192);

    [Fact]
    public void Inverse_frequencies_follow_theta_to_the_minus_2i_over_d()
    {
        var inverse = RotaryCache.InverseFrequencies(64, 10000, null);

        Assert.Equal(32, inverse.Length);
        Assert.Equal(1.0, inverse[0]);
        Assert.Equal(Math.Pow(10000, -10.0 / 64), inverse[5], 15);
    }

    [Fact]
    public void Llama3_scaling_keeps_short_wavelengths_divides_long_ones_and_blends_between()
    {
        var plain = RotaryCache.InverseFrequencies(64, 500000, null);
        var scaled = RotaryCache.InverseFrequencies(64, 500000, Llama31);

        // wavelength 2*pi*theta^(2i/d): below 8192/4 = 2048 kept, above 8192/1 divided by 8.
        var wavelengths = plain.Select(f => 2 * Math.PI / f).ToArray();
        var kept = Enumerable.Range(0, 32).Where(i => wavelengths[i] < 2048).ToList();
        var divided = Enumerable.Range(0, 32).Where(i => wavelengths[i] > 8192).ToList();
        var blended = Enumerable.Range(0, 32).Except(kept).Except(divided).ToList();
        Assert.NotEmpty(kept);
        Assert.NotEmpty(divided);
        Assert.NotEmpty(blended);
        Assert.All(kept, i => Assert.Equal(plain[i], scaled[i]));
        Assert.All(divided, i => Assert.Equal(plain[i] / 8, scaled[i]));
        Assert.All(blended, i => Assert.InRange(scaled[i], plain[i] / 8, plain[i]));

        // The blend is (1 - s) * f / factor + s * f with s = (8192 / wavelength - 1) / (4 - 1).
        var b = blended[0];
        var s = ((8192 / wavelengths[b]) - 1) / 3;
        Assert.Equal(((1 - s) * plain[b] / 8) + (s * plain[b]), scaled[b], 15);
    }

    [Fact]
    public void Tables_hold_cos_and_sin_of_position_times_frequency_row_by_position()
    {
        var (cos, sin) = RotaryCache.Compute(positions: 5, headDim: 32, theta: 10000, scaling: null);

        Assert.Equal(5 * 16, cos.Length);
        Assert.Equal(5 * 16, sin.Length);
        Assert.All(cos.Take(16), c => Assert.Equal(1.0, c));
        Assert.All(sin.Take(16), s => Assert.Equal(0.0, s));
        var frequency = Math.Pow(10000, -6.0 / 32);
        Assert.Equal(Math.Cos(4 * frequency), cos[(4 * 16) + 3], 15);
        Assert.Equal(Math.Sin(4 * frequency), sin[(4 * 16) + 3], 15);
    }
}
