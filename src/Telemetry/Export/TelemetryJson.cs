using System.Buffers;
using System.Text.Json;
using Appliance.Telemetry.Metrics;
using Appliance.Telemetry.Sensors;
using Names = Appliance.Telemetry.Export.ApplianceInstrumentNames;

namespace Appliance.Telemetry.Export;

/// <summary>
/// The payload published on <c>&lt;base&gt;/telemetry</c>. Its fields are a contract (Home Assistant's discovery
/// points value templates at them; the schema is src/Telemetry/Export/telemetry.schema.json): add fields, never
/// rename them. A value the machine does not offer is null; the "jetson" object is absent off a Jetson.
/// </summary>
public static class TelemetryJson
{
    public static byte[] Serialize(TelemetryReport report)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(buffer, report);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, TelemetryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("ts", report.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteNumber("uptime_s", (long)report.Uptime.TotalSeconds);

        var metrics = report.Metrics;
        json.WriteStartObject("requests");
        // "done" is always there, so a sensor pointed at it reads 0 rather than nothing before the first request.
        json.WriteNumber(Names.DoneOutcome, (long)(metrics.Find(Names.Requests)?.ValueWhere(Names.OutcomeTag, Names.DoneOutcome) ?? 0));
        WriteCountsByTag(json, metrics.Find(Names.Requests), Names.OutcomeTag, skip: Names.DoneOutcome);
        json.WriteEndObject();
        json.WriteStartObject("errors");
        WriteCountsByTag(json, metrics.Find(Names.Errors), Names.CodeTag, skip: null);
        json.WriteEndObject();
        json.WriteStartObject("tokens");
        json.WriteNumber("prompt", (long)(metrics.Find(Names.PromptTokens)?.Total ?? 0));
        json.WriteNumber("generated", (long)(metrics.Find(Names.GeneratedTokens)?.Total ?? 0));
        json.WriteEndObject();
        json.WriteNumber("queue_length", (long)(metrics.Find(Names.QueueLength)?.Total ?? 0));
        WriteNumberOrNull(json, "tokens_per_second", LastMeasured(metrics.Find(Names.DecodeRate)), decimals: 2);
        WriteNumberOrNull(json, "time_to_first_token_s", LastMeasured(metrics.Find(Names.TimeToFirstToken)), decimals: 3);

        var system = report.System;
        json.WriteStartObject("process");
        WriteNumberOrNull(json, "rss_bytes", system.Process.ResidentBytes);
        WriteNumberOrNull(json, "cpu_percent", system.Process.CpuPercent, decimals: 1);
        json.WriteEndObject();

        json.WriteStartObject("system");
        WriteNumberOrNull(json, "memory_available_bytes", system.Host.MemoryAvailableBytes);
        WriteNumberOrNull(json, "memory_total_bytes", system.Host.MemoryTotalBytes);
        WriteNumberOrNull(json, "cpu_load_1m", system.Host.CpuLoad1m, decimals: 2);
        WriteNumberOrNull(json, "max_temperature_c", system.MaxTemperatureCelsius, decimals: 1);
        json.WriteEndObject();

        json.WriteStartObject("thermal");
        foreach (var zone in system.Thermal)
        {
            json.WriteNumber(zone.Zone, Math.Round(zone.Celsius, 1));
        }

        json.WriteEndObject();

        if (system.Jetson is { } jetson)
        {
            WriteJetson(json, jetson);
        }

        json.WriteEndObject();
    }

    private static void WriteJetson(Utf8JsonWriter json, JetsonSample jetson)
    {
        json.WriteStartObject("jetson");
        WriteNumberOrNull(json, "gpu_load_percent", jetson.GpuLoadPercent, decimals: 1);
        WriteNumberOrNull(json, "gpu_frequency_hz", jetson.GpuFrequencyHz);
        json.WriteStartObject("rails");
        foreach (var rail in jetson.Rails)
        {
            json.WriteStartObject(rail.Name);
            json.WriteNumber("voltage_v", Math.Round(rail.Volts, 3));
            json.WriteNumber("current_a", Math.Round(rail.Amperes, 3));
            json.WriteNumber("power_w", Math.Round(rail.Watts, 3));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCountsByTag(Utf8JsonWriter json, InstrumentSnapshot? instrument, string tag, string? skip)
    {
        if (instrument is null)
        {
            return;
        }

        foreach (var series in instrument.Series)
        {
            var value = series.Tags.FirstOrDefault(pair => pair.Key == tag).Value;
            if (value is not null && value != skip)
            {
                json.WriteNumber(value, (long)series.Value);
            }
        }
    }

    /// <summary>The most recent measurement of a histogram (e.g. the last request's decode rate); null before the first.</summary>
    private static double? LastMeasured(InstrumentSnapshot? instrument) =>
        instrument?.Series.Select(series => series.Histogram).FirstOrDefault(histogram => histogram is { Count: > 0 })?.Last;

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value, int decimals)
    {
        if (value is { } number && double.IsFinite(number))
        {
            json.WriteNumber(name, Math.Round(number, decimals));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
