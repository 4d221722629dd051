using Appliance.Telemetry.Metrics;
using Appliance.TelemetryPublishing;
using Appliance.Tests.State;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text;
using System.Text.Json;

namespace Appliance.Tests.TelemetryPublishing;

public sealed class TelemetryServiceTests
{
    private static readonly string X86Fixture = RepoPaths.Combine("tests", "Telemetry.Tests", "Fixtures", "x86");

    [Fact]
    public async Task Publishes_on_start_and_then_every_interval_with_the_counts_so_far()
    {
        using var metrics = new ApplianceMetrics();
        var messenger = new FakeApplianceMessenger();
        var clock = new ManualTimeProvider();
        using var service = new TelemetryService(Options(), metrics, messenger, NullLogger<TelemetryService>.Instance, clock);

        await service.StartAsync(CancellationToken.None);
        var first = await messenger.NextAsync();
        metrics.RequestFinished("done");
        metrics.DecodeRate(17.5);
        clock.Advance(TimeSpan.FromSeconds(10));
        var second = await messenger.NextAsync();
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(("appliance/test/telemetry", false), (first.Topic, first.Retain));
        using var before = JsonDocument.Parse(first.Payload);
        using var after = JsonDocument.Parse(second.Payload);
        Assert.Equal(0, before.RootElement.GetProperty("requests").GetProperty("done").GetInt32());
        Assert.Equal(1, after.RootElement.GetProperty("requests").GetProperty("done").GetInt32());
        Assert.Equal(17.5, after.RootElement.GetProperty("tokens_per_second").GetDouble());
        Assert.Equal(10, after.RootElement.GetProperty("uptime_s").GetInt64());
        Assert.Equal("2026-01-01T00:00:10.000Z", after.RootElement.GetProperty("ts").GetString());
        Assert.Equal(45.0, after.RootElement.GetProperty("system").GetProperty("max_temperature_c").GetDouble());
    }

    [Fact]
    public async Task A_failed_sample_skips_one_period_and_a_disconnected_broker_loses_only_its_sample()
    {
        using var root = new TempDirectory("sensor-root");
        foreach (var file in Directory.EnumerateFiles(X86Fixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root.Path, Path.GetRelativePath(X86Fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        using var metrics = new ApplianceMetrics();
        var messenger = new FakeApplianceMessenger { Connected = false };
        var clock = new ManualTimeProvider();
        var logger = new RecordingLogger<TelemetryService>();
        var options = Options();
        options.SensorRoot = root.Path;
        using var service = new TelemetryService(options, metrics, messenger, logger, clock);
        await service.StartAsync(CancellationToken.None);
        await messenger.NextAsync();

        var temp = root.Combine("sys", "class", "thermal", "thermal_zone1", "temp");
        File.WriteAllText(temp, "garbage\n");
        clock.Advance(TimeSpan.FromSeconds(10));
        var warning = await logger.NextAsync(Microsoft.Extensions.Logging.LogLevel.Warning);
        File.WriteAllText(temp, "50000\n");
        messenger.Connected = true;
        clock.Advance(TimeSpan.FromSeconds(10));
        var next = await messenger.NextAsync();
        await service.StopAsync(CancellationToken.None);

        using var payload = JsonDocument.Parse(next.Payload);
        // The garbage period published nothing: the next payload is the one 20 s in, with the zone readable again.
        Assert.Equal($"telemetry: sample failed, this period is skipped: {temp}: expected an integer, found \"garbage\".", warning);
        Assert.Equal(20, payload.RootElement.GetProperty("uptime_s").GetInt64());
        Assert.Equal(50.0, payload.RootElement.GetProperty("thermal").GetProperty("x86_pkg_temp").GetDouble());
        Assert.False(messenger.TryTake(out _));
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction()
    {
        using var metrics = new ApplianceMetrics();
        var options = new TelemetryOptions { MetricsEndpoint = "192.0.2.1:9464", SensorRoot = X86Fixture };

        var error = Assert.Throws<ArgumentException>(() =>
            new TelemetryService(options, metrics, new FakeApplianceMessenger(), NullLogger<TelemetryService>.Instance, TimeProvider.System));

        Assert.StartsWith("Telemetry:MetricsEndpoint '192.0.2.1:9464' is not a loopback address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sample_is_the_json_payload_s_source()
    {
        using var metrics = new ApplianceMetrics();
        using var service = new TelemetryService(Options(), metrics, new FakeApplianceMessenger(), NullLogger<TelemetryService>.Instance, new ManualTimeProvider());
        metrics.TokensCounted(3, 4);

        var json = Encoding.UTF8.GetString(Appliance.Telemetry.Export.TelemetryJson.Serialize(service.Sample()));

        Assert.Contains("\"tokens\":{\"prompt\":3,\"generated\":4}", json, StringComparison.Ordinal);
    }

    private static TelemetryOptions Options() =>
        new() { IntervalSeconds = 10, SensorRoot = X86Fixture };
}
