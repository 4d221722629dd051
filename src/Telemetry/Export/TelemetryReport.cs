using Appliance.Telemetry.Metrics;
using Appliance.Telemetry.Sensors;

namespace Appliance.Telemetry.Export;

/// <summary>Everything one telemetry period reports: the instruments' values and the sensors' readings, at <paramref name="Timestamp"/>.</summary>
/// <param name="Uptime">How long the service has been running.</param>
public sealed record TelemetryReport(DateTimeOffset Timestamp, TimeSpan Uptime, MetricsSnapshot Metrics, SystemSample System);
