namespace Appliance.Quantize.Quantization;

/// <summary>How each block's scale and zero point are chosen.</summary>
public enum QuantizationMethod
{
    /// <summary>Grid from the block's range, every weight rounded to the nearest level: one pass, error at most half a step.</summary>
    RoundToNearest,

    /// <summary>
    /// Half-quadratic quantization (HQQ, calibration-free): starting from the round-to-nearest grid, a fixed number of
    /// proximal iterations refit scale and zero point against an lp-norm (p &lt; 1) of the reconstruction error.
    /// </summary>
    HalfQuadratic,
}
