namespace Appliance.Telemetry.Metrics;

/// <summary>How an instrument's measurements combine into its current value.</summary>
public enum MetricKind
{
    /// <summary>Only goes up: measurements add (observable counters report the total).</summary>
    Counter,

    /// <summary>Goes up and down: measurements add (observable ones report the total).</summary>
    UpDownCounter,

    /// <summary>The last value measured.</summary>
    Gauge,

    /// <summary>A distribution: bucket counts, sum, count.</summary>
    Histogram,
}
