using System.Diagnostics.Metrics;
using System.Globalization;

namespace Appliance.Telemetry.Metrics;

/// <summary>
/// The running state of one instrument: a series per distinct tag set. Recording takes a lock and, once a tag set
/// has been seen, allocates nothing: the span of tags is matched against the stored series in place.
/// </summary>
internal sealed class InstrumentAggregation
{
    /// <summary>Used when an instrument gives no bucket advice (OpenTelemetry's default explicit bounds).</summary>
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock _gate = new();
    private readonly List<Series> _series = [];
    private readonly double[] _bounds;

    public InstrumentAggregation(Instrument instrument)
    {
        Instrument = instrument;
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        Kind = KindOf(definition, instrument);
        // Observable counters report their running total, not an increment.
        ReportsTotals = instrument.IsObservable;
        IsInteger = type.IsGenericType && type.GenericTypeArguments[0] is var value
            && (value == typeof(long) || value == typeof(int) || value == typeof(short) || value == typeof(byte));
        _bounds = Kind == MetricKind.Histogram ? BoundsOf(instrument) : [];
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    public bool IsInteger { get; }

    private bool ReportsTotals { get; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            var series = Find(tags) ?? Add(tags);
            switch (Kind)
            {
                case MetricKind.Counter or MetricKind.UpDownCounter when !ReportsTotals:
                    series.Value += value;
                    break;
                case MetricKind.Histogram:
                    series.Observe(value, _bounds);
                    break;
                default:
                    series.Value = value;
                    break;
            }
        }
    }

    public InstrumentSnapshot Snapshot()
    {
        lock (_gate)
        {
            var series = _series.Select(s => s.Snapshot(_bounds)).ToArray();
            return new InstrumentSnapshot(Instrument.Name, Instrument.Unit, Instrument.Description, Kind, IsInteger, series);
        }
    }

    private static MetricKind KindOf(Type definition, Instrument instrument)
    {
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            return MetricKind.Counter;
        }

        if (definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>))
        {
            return MetricKind.UpDownCounter;
        }

        if (definition == typeof(Histogram<>))
        {
            return MetricKind.Histogram;
        }

        if (definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>))
        {
            return MetricKind.Gauge;
        }

        throw new NotSupportedException($"Instrument '{instrument.Name}' is a {definition.Name}, which the aggregator does not know.");
    }

    private static double[] BoundsOf(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> histogram => histogram.Advice?.HistogramBucketBoundaries,
            Histogram<float> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            Histogram<long> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            Histogram<int> histogram => histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound).ToArray(),
            _ => null,
        };
        return advised is null ? DefaultBounds : [.. advised];
    }

    private Series? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var series in _series)
        {
            if (series.Matches(tags))
            {
                return series;
            }
        }

        return null;
    }

    private Series Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var stored = tags.ToArray();
        Array.Sort(stored, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var series = new Series(stored, Kind == MetricKind.Histogram ? new long[_bounds.Length + 1] : null);
        _series.Add(series);
        return series;
    }

    private sealed class Series(KeyValuePair<string, object?>[] tags, long[]? buckets)
    {
        public double Value { get; set; }

        private double _sum;
        private long _count;
        private double _last;

        /// <summary>Same tags in any order; values compared with Equals (strings by content), so nothing is boxed or built.</summary>
        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> candidate)
        {
            if (candidate.Length != tags.Length)
            {
                return false;
            }

            foreach (var tag in candidate)
            {
                var found = false;
                foreach (var stored in tags)
                {
                    if (string.Equals(stored.Key, tag.Key, StringComparison.Ordinal) && Equals(stored.Value, tag.Value))
                    {
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    return false;
                }
            }

            return true;
        }

        public void Observe(double value, double[] bounds)
        {
            var index = 0;
            while (index < bounds.Length && value > bounds[index])
            {
                index++;
            }

            buckets![index]++;
            _sum += value;
            _count++;
            _last = value;
        }

        public SeriesSnapshot Snapshot(double[] bounds)
        {
            var tagText = tags.Select(tag => KeyValuePair.Create(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)).ToArray();
            var histogram = buckets is null ? null : new HistogramSnapshot(bounds, [.. buckets], _sum, _count, _last);
            return new SeriesSnapshot(tagText, Value, histogram);
        }
    }
}
