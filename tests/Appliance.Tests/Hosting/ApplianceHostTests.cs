using Appliance.Hosting;
using Appliance.MqttService;
using Appliance.Panel;
using Appliance.Pipeline;
using Appliance.TelemetryPublishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Appliance.Tests.Hosting;

public sealed class ApplianceHostTests
{
    [Fact]
    public void The_host_runs_systemd_the_mqtt_door_the_request_pipeline_the_panel_and_telemetry_in_that_order()
    {
        var options = new ApplianceOptions { DeviceId = "box", Engine = { ModelPath = "/nonexistent" } };
        using var host = ApplianceHost.Build(options, new ConfigurationBuilder().Build(), SystemdEnvironment.None);

        var hosted = host.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();

        Assert.Equal([typeof(SystemdNotifyService), typeof(MqttDoorService), typeof(PipelineService), typeof(PanelService), typeof(TelemetryService)], hosted);
    }
}
