using System.Text;
using System.Text.Json;
using Appliance.Telemetry.Export;
using Appliance.Telemetry.Metrics;
using Appliance.Telemetry.Sensors;
using Appliance.TestSupport;

namespace Appliance.Telemetry.Tests.Export;

public sealed class TelemetryJsonTests
{
    private static readonly string SchemaPath = RepoPaths.Combine("src", "Telemetry", "Export", "telemetry.schema.json");

    [Fact]
    public void The_x86_payload_has_the_contract_fields_and_values()
    {
        var json = Encoding.UTF8.GetString(TelemetryJson.Serialize(SampleReports.X86()));

        var page = Environment.SystemPageSize * 12345L;
        Assert.Equal(
            "{\"ts\":\"2026-03-14T15:09:26.535Z\",\"uptime_s\":3725," +
            "\"requests\":{\"done\":2,\"busy\":1},\"errors\":{\"busy\":1},\"tokens\":{\"prompt\":40,\"generated\":100}," +
            "\"queue_length\":2,\"tokens_per_second\":21.46,\"time_to_first_token_s\":0.31," +
            $"\"process\":{{\"rss_bytes\":{page},\"cpu_percent\":20}}," +
            "\"system\":{\"memory_available_bytes\":12288000000,\"memory_total_bytes\":16710631424,\"cpu_load_1m\":0.52,\"max_temperature_c\":45}," +
            "\"thermal\":{\"acpitz\":27.8,\"x86_pkg_temp\":45,\"acpitz_2\":29.8}}",
            json);
    }

    [Fact]
    public void The_jetson_payload_adds_gpu_and_power_rails()
    {
        using var document = JsonDocument.Parse(TelemetryJson.Serialize(SampleReports.Jetson()));

        var jetson = document.RootElement.GetProperty("jetson");
        Assert.Equal(
            "{\"gpu_load_percent\":12.5,\"gpu_frequency_hz\":306000000,\"rails\":{" +
            "\"VDD_IN\":{\"voltage_v\":5.072,\"current_a\":1.432,\"power_w\":7.263}," +
            "\"VDD_CPU_GPU_CV\":{\"voltage_v\":5.064,\"current_a\":0.408,\"power_w\":2.066}," +
            "\"VDD_SOC\":{\"voltage_v\":5.064,\"current_a\":0.816,\"power_w\":4.132}}}",
            jetson.GetRawText());
        Assert.Equal(49.0, document.RootElement.GetProperty("system").GetProperty("max_temperature_c").GetDouble());
    }

    [Theory]
    [InlineData("x86")]
    [InlineData("jetson")]
    [InlineData("before-any-request")]
    [InlineData("bare")]
    public void Every_payload_conforms_to_the_documented_schema(string machine)
    {
        using var bare = new TempDirectory("sensor-root");
        Directory.CreateDirectory(bare.Combine("proc"));
        var report = machine switch
        {
            "x86" => SampleReports.X86(),
            "jetson" => SampleReports.Jetson(),
            "before-any-request" => Fresh(Sensors.FixtureTrees.X86),
            _ => Fresh(bare.Path),
        };
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        using var payload = JsonDocument.Parse(TelemetryJson.Serialize(report));

        Assert.Empty(JsonSchemaSubset.Validate(schema.RootElement, payload.RootElement));
    }

    [Fact]
    public void Before_any_request_counts_are_zero_and_the_last_request_figures_are_null()
    {
        using var payload = JsonDocument.Parse(TelemetryJson.Serialize(Fresh(Sensors.FixtureTrees.X86)));
        var root = payload.RootElement;

        Assert.Equal("{\"done\":0}", root.GetProperty("requests").GetRawText());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("tokens_per_second").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("time_to_first_token_s").ValueKind);
        Assert.False(root.TryGetProperty("jetson", out _));
    }

    [Fact]
    public void The_schema_check_catches_a_renamed_field_a_wrong_type_and_an_extra_field()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var json = Encoding.UTF8.GetString(TelemetryJson.Serialize(SampleReports.X86()))
            .Replace("\"tokens_per_second\"", "\"tokens_per_sec\"", StringComparison.Ordinal)
            .Replace("\"queue_length\":2", "\"queue_length\":\"2\"", StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(json);

        var errors = JsonSchemaSubset.Validate(schema.RootElement, payload.RootElement);

        Assert.Equal(
            ["$: required \"tokens_per_second\" is missing", "$.queue_length: expected \"integer\", found String \"2\"", "$.tokens_per_sec: not allowed by the schema"],
            errors);
    }

    private static TelemetryReport Fresh(string root)
    {
        using var metrics = new ApplianceMetrics();
        using var aggregator = new MetricsAggregator(metrics.Meter);
        return new TelemetryReport(SampleReports.Timestamp, TimeSpan.Zero, aggregator.Snapshot(), new SystemSensors(root).Sample());
    }
}
