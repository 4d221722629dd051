using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// The cos/sin tables GroupQueryAttention rotates Q and K with: [positions, head_dim / 2], non-interleaved
/// (HF's rotate_half layout). Computed in float64 so the only rounding is the final cast to the graph's type.
/// </summary>
internal static class RotaryCache
{
    /// <summary>HF's inv_freq, including the llama3 wavelength-dependent rescaling when the config asks for it.</summary>
    public static double[] InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        var half = headDim / 2;
        var inverse = new double[half];
        for (var i = 0; i < half; i++)
        {
            inverse[i] = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
        }

        if (scaling is not null)
        {
            ApplyLlama3Scaling(inverse, scaling);
        }

        return inverse;
    }

    /// <summary>Row-major [positions, head_dim / 2] tables: cos[p, i] = cos(p * inv_freq[i]).</summary>
    public static (double[] Cos, double[] Sin) Compute(int positions, int headDim, double theta, RopeScaling? scaling)
    {
        var inverse = InverseFrequencies(headDim, theta, scaling);
        var half = inverse.Length;
        var cos = new double[(long)positions * half];
        var sin = new double[cos.Length];
        for (var p = 0; p < positions; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = p * inverse[i];
                cos[(p * half) + i] = Math.Cos(angle);
                sin[(p * half) + i] = Math.Sin(angle);
            }
        }

        return (cos, sin);
    }

    // HfModelConfig admits only the llama3 type. Llama 3.1's rule: long wavelengths are divided by the factor, short ones kept, the band between
    // low_freq_wavelen and high_freq_wavelen interpolated smoothly.
    private static void ApplyLlama3Scaling(double[] inverse, RopeScaling scaling)
    {
        var oldContext = (double)scaling.OriginalMaxPositionEmbeddings;
        var lowFreqWavelength = oldContext / scaling.LowFreqFactor;
        var highFreqWavelength = oldContext / scaling.HighFreqFactor;
        for (var i = 0; i < inverse.Length; i++)
        {
            var wavelength = 2 * Math.PI / inverse[i];
            if (wavelength < highFreqWavelength)
            {
                continue;
            }

            if (wavelength > lowFreqWavelength)
            {
                inverse[i] /= scaling.Factor;
                continue;
            }

            var smooth = ((oldContext / wavelength) - scaling.LowFreqFactor) / (scaling.HighFreqFactor - scaling.LowFreqFactor);
            inverse[i] = ((1 - smooth) * inverse[i] / scaling.Factor) + (smooth * inverse[i]);
        }
    }
}
