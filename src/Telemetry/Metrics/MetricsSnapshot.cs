namespace Appliance.Telemetry.Metrics;

/// <summary>The current values of every instrument a <see cref="MetricsAggregator"/> listens to, at one moment.</summary>
public sealed record MetricsSnapshot(IReadOnlyList<InstrumentSnapshot> Instruments)
{
    public static MetricsSnapshot Empty { get; } = new([]);

    /// <summary>The instrument called <paramref name="name"/>, or null when it has not been published (or is not listened to).</summary>
    public InstrumentSnapshot? Find(string name) => Instruments.FirstOrDefault(instrument => instrument.Name == name);
}

/// <summary>One instrument: what it is, and one series per distinct set of tags it was measured with.</summary>
/// <param name="IsInteger">Measured in whole numbers (an integer instrument type): exporters print it without a fraction.</param>
public sealed record InstrumentSnapshot(
    string Name,
    string? Unit,
    string? Description,
    MetricKind Kind,
    bool IsInteger,
    IReadOnlyList<SeriesSnapshot> Series)
{
    /// <summary>The sum over all series (counters) — e.g. every request whatever its outcome.</summary>
    public double Total => Series.Sum(series => series.Value);

    /// <summary>The value of the series whose tag <paramref name="key"/> is <paramref name="value"/>; 0 when never measured.</summary>
    public double ValueWhere(string key, string value) =>
        Series.FirstOrDefault(series => series.Tags.Any(tag => tag.Key == key && tag.Value == value))?.Value ?? 0;
}

/// <summary>
/// One series. <see cref="Value"/> is the running total (counters) or last value (gauges); histograms carry
/// <see cref="Histogram"/> instead. Tags are sorted by key; values are rendered as invariant strings.
/// </summary>
public sealed record SeriesSnapshot(IReadOnlyList<KeyValuePair<string, string>> Tags, double Value, HistogramSnapshot? Histogram);

/// <summary>
/// A histogram series. <see cref="BucketCounts"/> has one entry per upper bound (measurements ≤ that bound and above
/// the previous one) plus a last entry for everything above the largest bound. <see cref="Last"/> is the most recent
/// measurement (e.g. the last request's decode rate).
/// </summary>
public sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> BucketCounts, double Sum, long Count, double Last);
