namespace Appliance.Quantize.Quantization;

/// <summary>
/// Rounds block scales to the value they will have once stored, so codes are chosen against the scale the operator sees.
/// A scale too large for float16 (above 65504) comes back infinite; the quantizer reports it.
/// </summary>
internal static class ScaleStorage
{
    /// <summary>Nearest storable value.</summary>
    public static float Nearest(float scale, ScalePrecision precision) =>
        precision == ScalePrecision.Float16 ? (float)(Half)scale : scale;

    /// <summary>Storable value of at least |scale|'s magnitude: a range grid built from it still covers the block, so nothing clips.</summary>
    public static float Widen(float scale, ScalePrecision precision)
    {
        if (precision == ScalePrecision.Float32)
        {
            return scale;
        }

        var half = (Half)scale;
        if (MathF.Abs((float)half) < MathF.Abs(scale))
        {
            half = scale > 0 ? Half.BitIncrement(half) : Half.BitDecrement(half);
        }

        return (float)half;
    }
}
