using System.Numerics;

namespace Appliance.Quantize.Quantization;

/// <summary>
/// Half-quadratic quantization (Badri &amp; Shaji, "HQQ", 2023), adapted to integer zero points. HQQ minimises
/// ||w - dequant(quant(w))||_p^p (p &lt; 1, which tolerates a few large errors to fit the bulk better) by splitting the error
/// into an auxiliary e: each iteration (1) encodes the block on the current grid, (2) sets e to the lp proximal shrinkage of
/// the residual, and (3) refits the grid by least squares to the targets w - e. MatMulNBits and GatherBlockQuantized need
/// integer zero points, so step (3) fits scale and offset, rounds the zero point and refits the scale for it (symmetric
/// grids keep their zero point and refit the scale only). Residuals are measured in grid steps, which makes the shrinkage
/// independent of the weights' magnitude. HQQ's defaults (p 0.7, beta 10 growing by 1.01, 20 iterations) beat the
/// alternatives tried on Gaussian and outlier-laden weights. The iteration count is fixed and the best grid by mean
/// absolute error (HQQ's own criterion, starting with the round-to-nearest grid) is kept, so the result never does worse
/// than round-to-nearest on that measure and is the same on every run (on one machine: the SIMD width sets the order
/// of the float64 sums).
/// </summary>
internal static class HalfQuadraticRefinement
{
    public const int Iterations = 20;
    private const float LpNorm = 0.7f;
    private const float InitialBeta = 10f;
    private const float BetaGrowth = 1.01f;

    /// <param name="codes">Scratch of at least block.Length.</param>
    /// <param name="targets">Scratch of at least block.Length.</param>
    public static BlockGrid Refine(
        ReadOnlySpan<float> block, BlockGrid start, int maxCode, bool fixedZeroPoint, ScalePrecision precision, Span<float> codes, Span<float> targets)
    {
        codes = codes[..block.Length];
        targets = targets[..block.Length];
        var best = start;
        var bestError = double.PositiveInfinity;
        var grid = start;
        var beta = InitialBeta;
        for (var iteration = 0; grid.Scale != 0; iteration++)
        {
            var error = SplitResidual(block, grid, maxCode, beta, codes, targets);
            if (error < bestError)
            {
                best = grid;
                bestError = error;
            }

            if (iteration == Iterations)
            {
                break;
            }

            grid = Refit(codes, targets, grid, maxCode, fixedZeroPoint, precision);
            beta *= BetaGrowth;
        }

        return best;
    }

    /// <summary>
    /// Codes on <paramref name="grid"/> and targets w - e, e being the lp shrinkage of each residual (in steps).
    /// Returns the grid's absolute error, sum |w - reconstruction|. Vectorized: this is where HQQ spends its time.
    /// </summary>
    private static double SplitResidual(ReadOnlySpan<float> block, BlockGrid grid, int maxCode, float beta, Span<float> codes, Span<float> targets)
    {
        var inverse = 1f / grid.Scale;
        var step = MathF.Abs(grid.Scale);
        var inverseStep = 1f / step;
        var inverseBeta = 1f / beta;
        // shrink(x) = sign(x) * max(|x| - |x|^(p-1) / beta, 0) is zero exactly when |x|^(2-p) <= 1 / beta.
        var deadZone = MathF.Pow(beta, -1f / (2f - LpNorm));
        var absoluteError = Vector<double>.Zero;
        var i = 0;
        for (; i <= block.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var weights = new Vector<float>(block[i..]);
            var code = Vector.Clamp(Vector.Round(weights * inverse) + new Vector<float>(grid.ZeroPoint), Vector<float>.Zero, new Vector<float>(maxCode));
            code.CopyTo(codes[i..]);
            var difference = weights - ((code - new Vector<float>(grid.ZeroPoint)) * grid.Scale);
            var magnitude = Vector.Abs(difference);
            Vector.Widen(magnitude, out var low, out var high);
            absoluteError += low + high;
            magnitude *= inverseStep;
            var power = Vector.Exp(Vector.Log(magnitude) * (LpNorm - 1f));
            var shrunk = Vector.ConditionalSelect(Vector.GreaterThan(magnitude, new Vector<float>(deadZone)), magnitude - (power * inverseBeta), Vector<float>.Zero);
            (weights - Vector.CopySign(shrunk * step, difference)).CopyTo(targets[i..]);
        }

        var total = Vector.Sum(absoluteError);
        for (; i < block.Length; i++)
        {
            var code = Math.Clamp((int)MathF.Round(block[i] * inverse) + grid.ZeroPoint, 0, maxCode);
            codes[i] = code;
            var difference = block[i] - grid.Reconstruct(code);
            total += MathF.Abs(difference);
            var magnitude = MathF.Abs(difference) * inverseStep;
            var shrunk = magnitude <= deadZone ? 0f : magnitude - (MathF.Exp(MathF.Log(magnitude) * (LpNorm - 1f)) * inverseBeta);
            targets[i] = block[i] - MathF.CopySign(shrunk * step, difference);
        }

        return total;
    }

    /// <summary>Least-squares grid for targets ≈ (code - zero point) * scale; the old grid when the fit is degenerate.</summary>
    private static BlockGrid Refit(ReadOnlySpan<float> codes, ReadOnlySpan<float> targets, BlockGrid grid, int maxCode, bool fixedZeroPoint, ScalePrecision precision)
    {
        var (sumCode, sumCodeSquared, sumTarget, sumCodeTarget) = Moments(codes, targets);
        var count = codes.Length;
        var zeroPoint = grid.ZeroPoint;
        if (!fixedZeroPoint)
        {
            var determinant = (count * sumCodeSquared) - (sumCode * sumCode);
            if (determinant <= 0)
            {
                return grid;
            }

            var slope = ((count * sumCodeTarget) - (sumCode * sumTarget)) / determinant;
            var offset = (sumTarget - (slope * sumCode)) / count;
            if (!(slope > 0))
            {
                return grid;
            }

            zeroPoint = (int)Math.Clamp(Math.Round(-offset / slope), 0, maxCode);
        }

        // With z fixed: scale = sum (q - z) t / sum (q - z)^2, expanded into the moments.
        var numerator = sumCodeTarget - (zeroPoint * sumTarget);
        var denominator = sumCodeSquared - (2.0 * zeroPoint * sumCode) + ((double)count * zeroPoint * zeroPoint);
        var scale = denominator > 0 ? ScaleStorage.Nearest((float)(numerator / denominator), precision) : 0f;
        return scale != 0 && float.IsFinite(scale) ? new BlockGrid(scale, zeroPoint) : grid;
    }

    /// <summary>sum q, sum q^2, sum t, sum q t in float64.</summary>
    private static (double Code, double CodeSquared, double Target, double CodeTarget) Moments(ReadOnlySpan<float> codes, ReadOnlySpan<float> targets)
    {
        Vector<double> code = default, codeSquared = default, target = default, codeTarget = default;
        var i = 0;
        for (; i <= codes.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(codes[i..]), out var codeLow, out var codeHigh);
            Vector.Widen(new Vector<float>(targets[i..]), out var targetLow, out var targetHigh);
            code += codeLow + codeHigh;
            codeSquared += (codeLow * codeLow) + (codeHigh * codeHigh);
            target += targetLow + targetHigh;
            codeTarget += (codeLow * targetLow) + (codeHigh * targetHigh);
        }

        var sums = (Vector.Sum(code), Vector.Sum(codeSquared), Vector.Sum(target), Vector.Sum(codeTarget));
        for (; i < codes.Length; i++)
        {
            sums.Item1 += codes[i];
            sums.Item2 += codes[i] * (double)codes[i];
            sums.Item3 += targets[i];
            sums.Item4 += codes[i] * (double)targets[i];
        }

        return sums;
    }
}
