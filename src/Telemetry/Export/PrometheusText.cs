using System.Globalization;
using System.Text;
using Appliance.Telemetry.Metrics;

namespace Appliance.Telemetry.Export;

/// <summary>
/// Renders a <see cref="TelemetryReport"/> in the Prometheus text exposition format 0.0.4: a HELP and TYPE line per
/// metric family, counters as _total, histograms as cumulative _bucket{le=...} lines plus _sum and _count, the
/// system sensors as gauges (base units: bytes, seconds, celsius, volts, amperes, watts). A family with nothing
/// to report (no requests yet, no Jetson) is left out.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(TelemetryReport report)
    {
        var text = new StringBuilder(4096);
        using var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(writer, report);
        return text.ToString();
    }

    public static void Write(TextWriter output, TelemetryReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        foreach (var instrument in report.Metrics.Instruments.OrderBy(instrument => instrument.Name, StringComparer.Ordinal))
        {
            WriteInstrument(output, instrument);
        }

        var system = report.System;
        Gauge(output, "appliance_uptime_seconds", "Time since the service started", report.Uptime.TotalSeconds);
        Gauge(output, "appliance_process_resident_memory_bytes", "Resident memory of the appliance process", system.Process.ResidentBytes);
        Gauge(output, "appliance_process_cpu_percent", "CPU time of the appliance process per wall time, in percent of one core", system.Process.CpuPercent);
        Gauge(output, "appliance_system_memory_available_bytes", "Memory available for new work (MemAvailable)", system.Host.MemoryAvailableBytes);
        Gauge(output, "appliance_system_memory_total_bytes", "Total usable memory (MemTotal)", system.Host.MemoryTotalBytes);
        Gauge(output, "appliance_system_load1", "1-minute load average", system.Host.CpuLoad1m);
        LabelledGauge(output, "appliance_thermal_zone_celsius", "Temperature of each thermal zone", "zone", system.Thermal.Select(zone => (zone.Zone, zone.Celsius)));
        if (system.Jetson is { } jetson)
        {
            Gauge(output, "appliance_gpu_load_percent", "Jetson integrated GPU load", jetson.GpuLoadPercent);
            Gauge(output, "appliance_gpu_frequency_hertz", "Jetson integrated GPU clock", jetson.GpuFrequencyHz);
            LabelledGauge(output, "appliance_power_rail_volts", "INA3221 rail bus voltage", "rail", jetson.Rails.Select(rail => (rail.Name, rail.Volts)));
            LabelledGauge(output, "appliance_power_rail_amperes", "INA3221 rail current", "rail", jetson.Rails.Select(rail => (rail.Name, rail.Amperes)));
            LabelledGauge(output, "appliance_power_rail_watts", "INA3221 rail power", "rail", jetson.Rails.Select(rail => (rail.Name, rail.Watts)));
        }
    }

    private static void WriteInstrument(TextWriter output, InstrumentSnapshot instrument)
    {
        if (instrument.Series.Count == 0)
        {
            return;
        }

        var isCounter = instrument.Kind == MetricKind.Counter;
        var name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, isCounter);
        var type = instrument.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        };
        Header(output, name, instrument.Description ?? instrument.Name, type);
        foreach (var series in instrument.Series)
        {
            if (series.Histogram is { } histogram)
            {
                WriteHistogram(output, name, series, histogram);
            }
            else
            {
                Sample(output, name, Labels(series.Tags, null), series.Value);
            }
        }
    }

    private static void WriteHistogram(TextWriter output, string name, SeriesSnapshot series, HistogramSnapshot histogram)
    {
        long cumulative = 0;
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            Sample(output, name + "_bucket", Labels(series.Tags, Number(histogram.UpperBounds[i])), cumulative);
        }

        Sample(output, name + "_bucket", Labels(series.Tags, "+Inf"), histogram.Count);
        Sample(output, name + "_sum", Labels(series.Tags, null), histogram.Sum);
        Sample(output, name + "_count", Labels(series.Tags, null), histogram.Count);
    }

    private static void Gauge(TextWriter output, string name, string help, double? value)
    {
        if (value is { } number)
        {
            Header(output, name, help, "gauge");
            Sample(output, name, string.Empty, number);
        }
    }

    private static void LabelledGauge(TextWriter output, string name, string help, string label, IEnumerable<(string Label, double Value)> values)
    {
        var header = false;
        foreach (var (labelValue, value) in values)
        {
            if (!header)
            {
                Header(output, name, help, "gauge");
                header = true;
            }

            Sample(output, name, Labels([KeyValuePair.Create(label, labelValue)], null), value);
        }
    }

    private static void Header(TextWriter output, string name, string help, string type)
    {
        output.Write($"# HELP {name} {PrometheusNames.EscapeHelp(help)}\n");
        output.Write($"# TYPE {name} {type}\n");
    }

    private static void Sample(TextWriter output, string name, string labels, double value) =>
        output.Write($"{name}{labels} {Number(value)}\n");

    private static string Labels(IReadOnlyList<KeyValuePair<string, string>> tags, string? le)
    {
        if (tags.Count == 0 && le is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder("{");
        foreach (var (key, value) in tags)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(PrometheusNames.LabelName(key)).Append("=\"").Append(PrometheusNames.EscapeLabelValue(value)).Append('"');
        }

        if (le is not null)
        {
            text.Append(text.Length > 1 ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>Go's float syntax: shortest round-trip digits, +Inf/-Inf/NaN spelled as Prometheus does.</summary>
    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
