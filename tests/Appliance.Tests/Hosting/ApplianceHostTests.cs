using Appliance.Hosting;
using Appliance.Http;
using Appliance.MqttService;
using Appliance.Panel;
using Appliance.Pipeline;
using Appliance.TelemetryPublishing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Net;

namespace Appliance.Tests.Hosting;

public sealed class ApplianceHostTests
{
    [Fact]
    public void The_host_runs_systemd_the_request_pipeline_the_mqtt_door_the_panel_telemetry_and_last_the_web_server_in_that_order()
    {
        var options = new ApplianceOptions { DeviceId = "box", Engine = { ModelPath = "/nonexistent" } };
        using var host = ApplianceHost.Build(options, new ConfigurationBuilder().Build(), SystemdEnvironment.None);

        var hosted = host.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();

        // The web server starts last and stops first: no HTTP request arrives before the parts it needs, or after them.
        Assert.Equal([nameof(SystemdNotifyService), nameof(PipelineService), nameof(MqttDoorService), nameof(PanelService), nameof(TelemetryService), "GenericWebHostService"], hosted);
        Assert.Equal("KestrelServerImpl", host.Services.GetRequiredService<IServer>().GetType().Name);
    }

    [Fact]
    public void Http_listens_on_its_urls_and_on_the_telemetry_metrics_endpoint_with_the_request_payload_limit_by_default()
    {
        var options = new ApplianceOptions
        {
            Requests = { MaxPayloadBytes = 4096 },
            Telemetry = { MetricsEndpoint = "127.0.0.1:9464" },
            Http = { Urls = "http://0.0.0.0:11434", ApiKeys = ["k"], Cors = { AllowedOrigins = ["http://ui.lan"] } },
        };

        var settings = ApplianceHost.HttpSettings(options);
        options.Http.MaxRequestBodyBytes = 100;

        Assert.Equal(
            [
                new ListenAddress(IPAddress.Any, Localhost: false, 11434, MetricsOnly: false),
                new ListenAddress(IPAddress.Loopback, Localhost: false, 9464, MetricsOnly: true),
            ],
            settings.Addresses);
        Assert.Equal(["k"], settings.ApiKeys);
        Assert.Equal(4096, settings.MaxRequestBodyBytes);
        Assert.Equal(["http://ui.lan"], settings.CorsOrigins);
        Assert.Equal(100, ApplianceHost.HttpSettings(options).MaxRequestBodyBytes);
    }

    [Fact]
    public void With_http_off_only_the_telemetry_metrics_endpoint_is_listened_on()
    {
        var options = new ApplianceOptions { Telemetry = { MetricsEndpoint = "[::1]:9464" }, Http = { Enabled = false } };

        var settings = ApplianceHost.HttpSettings(options);

        Assert.Equal([new ListenAddress(IPAddress.IPv6Loopback, Localhost: false, 9464, MetricsOnly: true)], settings.Addresses);
    }

    [Fact]
    public void A_metrics_endpoint_on_a_port_the_http_urls_take_is_a_configuration_error()
    {
        var options = new ApplianceOptions { DeviceId = "box", Engine = { ModelPath = "/nonexistent" }, Telemetry = { MetricsEndpoint = "127.0.0.1:8080" }, Http = { Urls = "http://*:8080" } };

        Assert.Contains("Telemetry:MetricsEndpoint '127.0.0.1:8080' is taken by Http:Urls 'http://*:8080', which serves /metrics already; remove Telemetry:MetricsEndpoint", options.Validate());
    }
}
