namespace Appliance.Inference.Tests.Reference;

/// <summary>The elementwise pieces of the decoder in float64, written from their definitions.</summary>
internal static class ReferenceMath
{
    /// <summary>x * 1/sqrt(mean(x^2) + eps) * weight.</summary>
    public static double[] RmsNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, double eps)
    {
        var result = new double[x.Length];
        RmsNorm(x, weight, eps, result);
        return result;
    }

    public static void RmsNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, double eps, Span<double> destination)
    {
        var sumOfSquares = 0.0;
        foreach (var value in x)
        {
            sumOfSquares += value * value;
        }

        var scale = 1 / Math.Sqrt((sumOfSquares / x.Length) + eps);
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = x[i] * scale * weight[i];
        }
    }

    /// <summary>x * sigmoid(x).</summary>
    public static double Silu(double x) => x / (1 + Math.Exp(-x));

    /// <summary>Softmax in place, shifted by the maximum for range safety.</summary>
    public static void Softmax(Span<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Exp(values[i] - max);
            sum += values[i];
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
