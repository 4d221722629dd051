namespace Appliance.Benchmarks.Peer;

/// <summary>Median and range of repeated measurements; the range shows how noisy they were.</summary>
internal readonly record struct Spread(double Median, double Min, double Max)
{
    /// <summary>(max - min) / median: 0.1 means the runs spread over 10 % of the median.</summary>
    public double RelativeRange => Median == 0 ? 0 : (Max - Min) / Median;

    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A spread needs at least one value.", nameof(values));
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }
}
