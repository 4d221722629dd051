using System.Globalization;

namespace Appliance.Quantize.Quantization;

/// <summary>How far dequantized weights drift from the originals, for the converter's layer-by-layer report.</summary>
/// <param name="Count">Weights compared.</param>
/// <param name="MaxAbsError">Largest |w - deq|.</param>
/// <param name="MeanAbsError">Mean |w - deq|.</param>
/// <param name="Rmse">sqrt(mean (w - deq)^2).</param>
/// <param name="RelativeFrobeniusError">||W - deq||_F / ||W||_F (0 for an all-zero W reproduced exactly).</param>
public sealed record ReconstructionStats(long Count, double MaxAbsError, double MeanAbsError, double Rmse, double RelativeFrobeniusError)
{
    /// <summary>Compares two equally long spans element by element.</summary>
    public static ReconstructionStats Measure(ReadOnlySpan<float> original, ReadOnlySpan<float> reconstructed)
    {
        if (original.Length != reconstructed.Length)
        {
            throw new ArgumentException($"Cannot compare {original.Length} original weights with {reconstructed.Length} reconstructed ones.", nameof(reconstructed));
        }

        var accumulator = default(ReconstructionErrorAccumulator);
        for (var i = 0; i < original.Length; i++)
        {
            accumulator.Add(original[i], reconstructed[i]);
        }

        return accumulator.ToStats();
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"max {MaxAbsError:G4}, mean {MeanAbsError:G4}, rmse {Rmse:G4}, rel {RelativeFrobeniusError:P3} over {Count} weights");
}
