using Appliance.Quantize.HuggingFace;

namespace Appliance.Inference.Tests.Reference;

/// <summary>
/// Rotary position embedding as transformers applies it: inv_freq[i] = 1 / theta^(2i/d), optionally rescaled by
/// llama3 rope_scaling, and the non-interleaved "rotate_half" pairing of dimension i with i + d/2.
/// </summary>
internal static class ReferenceRotary
{
    public static double[] InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        var half = headDim / 2;
        var inverse = new double[half];
        for (var i = 0; i < half; i++)
        {
            inverse[i] = 1 / Math.Pow(theta, 2.0 * i / headDim);
        }

        return scaling is null ? inverse : Array.ConvertAll(inverse, f => Llama3Scaled(f, scaling));
    }

    /// <summary>
    /// transformers' _compute_llama3_parameters for one frequency: wavelengths longer than
    /// original_max / low_freq_factor are divided by factor, shorter than original_max / high_freq_factor kept,
    /// and the band between interpolated linearly in original_max / wavelength.
    /// </summary>
    public static double Llama3Scaled(double inverseFrequency, RopeScaling scaling)
    {
        var wavelength = 2 * Math.PI / inverseFrequency;
        var lowFrequencyWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        var highFrequencyWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        if (wavelength > lowFrequencyWavelength)
        {
            return inverseFrequency / scaling.Factor;
        }

        if (wavelength < highFrequencyWavelength)
        {
            return inverseFrequency;
        }

        var smooth = ((scaling.OriginalMaxPositionEmbeddings / wavelength) - scaling.LowFreqFactor)
            / (scaling.HighFreqFactor - scaling.LowFreqFactor);
        return ((1 - smooth) * inverseFrequency / scaling.Factor) + (smooth * inverseFrequency);
    }

    /// <summary>Rotates one head vector in place for <paramref name="position"/>.</summary>
    public static void Apply(Span<double> head, int position, ReadOnlySpan<double> inverseFrequencies)
    {
        var half = inverseFrequencies.Length;
        for (var i = 0; i < half; i++)
        {
            var angle = position * inverseFrequencies[i];
            var (sin, cos) = Math.SinCos(angle);
            var first = head[i];
            var second = head[i + half];
            head[i] = (first * cos) - (second * sin);
            head[i + half] = (second * cos) + (first * sin);
        }
    }
}
