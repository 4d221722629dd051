using Appliance.Telemetry.Export;
using Appliance.Telemetry.Metrics;
using Appliance.Telemetry.Sensors;
using Appliance.Telemetry.Tests.Sensors;

namespace Appliance.Telemetry.Tests.Export;

/// <summary>Reports built from the fixture trees and a fixed set of requests, for the exporters' tests.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset Timestamp = new(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    /// <summary>Three requests (two done, one busy), two decode rates, one time to first token, queue length 2.</summary>
    public static TelemetryReport Build(string sensorRoot, Action<ApplianceMetrics>? record = null)
    {
        using var metrics = new ApplianceMetrics();
        using var aggregator = new MetricsAggregator(metrics.Meter);
        metrics.ObserveQueueLength(() => 2);
        metrics.RequestFinished("done");
        metrics.RequestFinished("done");
        metrics.RequestFinished("busy");
        metrics.Error("busy");
        metrics.TokensCounted(40, 100);
        metrics.DecodeRate(18.25);
        metrics.DecodeRate(21.456);
        metrics.TimeToFirstToken(TimeSpan.FromMilliseconds(310));
        record?.Invoke(metrics);
        return new TelemetryReport(Timestamp, TimeSpan.FromSeconds(3725.9), aggregator.Snapshot(), new SystemSensors(sensorRoot).Sample());
    }

    public static TelemetryReport X86() => Build(FixtureTrees.X86);

    public static TelemetryReport Jetson() => Build(FixtureTrees.Jetson);
}
