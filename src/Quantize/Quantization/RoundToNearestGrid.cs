namespace Appliance.Quantize.Quantization;

/// <summary>
/// Round-to-nearest grids: the smallest step whose levels still cover the whole block, so no weight clips and every weight
/// lands within half a step of its level.
/// </summary>
internal static class RoundToNearestGrid
{
    /// <summary>
    /// Zero point fixed at 2^(bits-1), so code - zero point runs from -2^(bits-1) to 2^(bits-1) - 1: one more level on the
    /// negative side. The step is the smallest that fits the larger extreme on that long side and the other extreme on the
    /// short side; a negative scale flips the long side over when the larger extreme is positive. This uses all 2^bits levels,
    /// where max|w| / (2^(bits-1) - 1) would waste one, yet never clips as max|w| / -2^(bits-1) can.
    /// </summary>
    public static BlockGrid Symmetric(ReadOnlySpan<float> block, int bits, ScalePrecision precision)
    {
        float largestPositive = 0, largestNegative = 0;
        foreach (var value in block)
        {
            largestPositive = MathF.Max(largestPositive, value);
            largestNegative = MathF.Max(largestNegative, -value);
        }

        var half = 1 << (bits - 1);
        var scale = largestNegative >= largestPositive
            ? MathF.Max(largestNegative / half, largestPositive / (half - 1))
            : -MathF.Max(largestPositive / half, largestNegative / (half - 1));
        return new BlockGrid(ScaleStorage.Widen(scale, precision), half);
    }

    /// <summary>
    /// Step (max - min) / (2^bits - 1) over a range stretched to include 0, so zero stays exactly representable and the
    /// zero point round(-min / step) lands inside the code range; rounding it shifts the grid by at most half a step,
    /// which keeps every weight within half a step of a level.
    /// </summary>
    public static BlockGrid Asymmetric(ReadOnlySpan<float> block, int bits, ScalePrecision precision)
    {
        float min = 0, max = 0;
        foreach (var value in block)
        {
            min = MathF.Min(min, value);
            max = MathF.Max(max, value);
        }

        var maxCode = (1 << bits) - 1;
        var scale = ScaleStorage.Widen((max - min) / maxCode, precision);
        var zeroPoint = scale == 0 ? 0 : Math.Clamp((int)MathF.Round(-min / scale), 0, maxCode);
        return new BlockGrid(scale, zeroPoint);
    }
}
