using Appliance.TelemetryPublishing;
using System.Net;

namespace Appliance.Tests.TelemetryPublishing;

public sealed class TelemetryOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_serve_no_metrics_endpoint()
    {
        var options = new TelemetryOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromSeconds(30), options.Interval);
        Assert.Null(options.ParseMetricsEndpoint());
    }

    [Theory]
    [InlineData("127.0.0.1:9464", "127.0.0.1:9464")]
    [InlineData("127.0.0.5:0", "127.0.0.5:0")]
    [InlineData("[::1]:9464", "[::1]:9464")]
    public void Loopback_endpoints_are_accepted(string text, string expected)
    {
        var options = new TelemetryOptions { MetricsEndpoint = text };

        Assert.Empty(options.Validate());
        Assert.Equal(IPEndPoint.Parse(expected), options.ParseMetricsEndpoint());
    }

    [Fact]
    public void A_non_loopback_endpoint_needs_the_explicit_permission()
    {
        var refused = new TelemetryOptions { MetricsEndpoint = "0.0.0.0:9464" };
        var allowed = new TelemetryOptions { MetricsEndpoint = "0.0.0.0:9464", AllowRemoteMetrics = true };

        Assert.Equal(
            ["Telemetry:MetricsEndpoint '0.0.0.0:9464' is not a loopback address; /metrics has no authentication, so set Telemetry:AllowRemoteMetrics=true to serve it there"],
            refused.Validate());
        Assert.Empty(allowed.Validate());
    }

    [Theory]
    [InlineData("localhost:9464")]
    [InlineData("127.0.0.1")]
    [InlineData("::1:9464")]
    [InlineData("127.0.0.1:port")]
    [InlineData("127.0.0.1:70000")]
    public void Endpoints_that_are_not_ip_and_port_are_refused(string text)
    {
        var options = new TelemetryOptions { MetricsEndpoint = text };

        Assert.Equal([$"Telemetry:MetricsEndpoint '{text}' must be IP:port, e.g. 127.0.0.1:9464 or [::1]:9464"], options.Validate());
    }

    [Fact]
    public void Interval_and_sensor_root_problems_name_their_options()
    {
        var options = new TelemetryOptions { IntervalSeconds = 0.5, SensorRoot = "/nonexistent-root" };

        Assert.Equal(
            ["Telemetry:IntervalSeconds must be between 1 and 86400, got 0.5", "Telemetry:SensorRoot '/nonexistent-root' has no proc directory"],
            options.Validate());
    }
}
