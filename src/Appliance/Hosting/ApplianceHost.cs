using Appliance.Engine;
using Appliance.Gpio;
using Appliance.Http;
using Appliance.OllamaApi;
using Appliance.OpenAiApi;
using Appliance.MqttService;
using Appliance.Panel;
using Appliance.Pipeline;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Appliance.TelemetryPublishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Device.I2c;
using System.Diagnostics.Metrics;

namespace Appliance.Hosting;

/// <summary>
/// The host `appliance serve` runs: validated options, the state board and worker liveness every part shares,
/// the metrics instruments, the real engine loader, the systemd notifier, the MQTT service, the front panel, telemetry
/// and the HTTP API (Kestrel, started after the others and stopped before them). SIGTERM or Ctrl-C
/// (the host's console lifetime) stops it: no new requests, the running one finishes or is cancelled within
/// <see cref="ApplianceOptions.ShutdownTimeoutSeconds"/>, every request gets its final message, status goes offline.
/// </summary>
public static partial class ApplianceHost
{
    /// <summary>What stopping needs after the running request ends: final messages, the offline status, disconnecting.</summary>
    private static readonly TimeSpan AfterRequestBudget = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// The host's hard cap beyond the shutdown timeout: only a service that ignores cancellation reaches it (systemd's
    /// TimeoutStopSec must be longer still).
    /// </summary>
    private static readonly TimeSpan HardStopMargin = TimeSpan.FromSeconds(5);

    public static IHost Build(ApplianceOptions options, IConfiguration configuration, SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(systemd);
        // The empty builder, not the slim one: no appsettings.json or ASPNETCORE_* variables beside the appliance's own settings.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "appliance" });
        builder.Logging.AddConfiguration(configuration.GetSection(ApplianceOptions.LoggingSectionName));
        builder.Logging.AddServiceConsole(systemd);

        var shutdown = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds);
        var services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown + HardStopMargin);
        services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(systemd);

        // Not AddSystemd(): it acts only when systemd is the parent process and brings a lifetime that says READY=1
        // before the model is loaded. The notifier itself reads NOTIFY_SOCKET, so it works under any service manager
        // (and under tests) that provides one.
        services.AddSingleton<Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier, Microsoft.Extensions.Hosting.Systemd.SystemdNotifier>();
        services.AddSingleton(options.Watchdog);
        services.AddSingleton<ServiceStatusBoard>();
        services.AddSingleton(provider => new WorkerLiveness(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new ApplianceMetrics(provider.GetService<IMeterFactory>()));
        services.AddSingleton<IGenerationEngineLoader, OnnxGenerationEngineLoader>();
        services.AddSingleton(provider => new RequestPipeline(
            options.Requests,
            options.Engine,
            provider.GetRequiredService<IGenerationEngineLoader>(),
            provider.GetRequiredService<ServiceStatusBoard>(),
            provider.GetRequiredService<WorkerLiveness>(),
            provider.GetRequiredService<ApplianceMetrics>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<RequestPipeline>>(),
            provider.GetRequiredService<GenerationBoard>())
        {
            ShutdownGrace = shutdown > AfterRequestBudget * 2 ? shutdown - AfterRequestBudget : shutdown / 2,
        });
        services.AddSingleton(provider => new MqttDoorService(
            provider.GetRequiredService<RequestPipeline>(),
            options.Broker,
            options.HomeAssistant,
            options.DeviceId,
            provider.GetRequiredService<ServiceStatusBoard>(),
            provider.GetRequiredService<ILogger<MqttDoorService>>(),
            provider.GetRequiredService<TimeProvider>(),
            options.Panel.ButtonNames(),
            fleet: options.Fleet));
        services.AddSingleton<IApplianceControl>(provider => provider.GetRequiredService<MqttDoorService>());
        services.AddSingleton<IApplianceMessenger>(provider => provider.GetRequiredService<MqttDoorService>());

        // Hosted services start in this order and stop in reverse: systemd hears every state, "starting" to "offline".
        // The pipeline does its stopping in the host's "stopping" round, before any door stops (the MQTT door leaves
        // the fleet pool in that round first), so every request it took is answered while its door is still open.
        services.AddHostedService<SystemdNotifyService>();
        services.AddHostedService(provider => new PipelineService(provider.GetRequiredService<RequestPipeline>()));
        services.AddHostedService(provider => provider.GetRequiredService<MqttDoorService>());
        services.AddSingleton(provider => new GenerationBoard(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IGpioControllerFactory>(GpioControllerFactory.For(options.Panel.Driver));
        services.AddHostedService(provider => new PanelService(
            options.Panel,
            provider.GetRequiredService<IGpioControllerFactory>(),
            I2cDevice.Create,
            provider.GetRequiredService<ServiceStatusBoard>(),
            provider.GetRequiredService<GenerationBoard>(),
            provider.GetRequiredService<IApplianceControl>(),
            provider.GetRequiredService<IApplianceMessenger>(),
            provider.GetRequiredService<ILogger<PanelService>>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new TelemetryService(
            options.Telemetry,
            provider.GetRequiredService<ApplianceMetrics>(),
            provider.GetRequiredService<IApplianceMessenger>(),
            provider.GetRequiredService<ILogger<TelemetryService>>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<TelemetryService>());

        var http = HttpSettings(options);
        HttpServer.Add(builder, http);
        var app = builder.Build();
        var pipeline = new PipelineClient(app.Services.GetRequiredService<RequestPipeline>());
        HttpServer.Use(app, http, routes =>
        {
            OpenAiEndpoints.Map(routes, pipeline);
            OllamaEndpoints.Map(routes, pipeline);
        });
        return app;
    }

    /// <summary>The HTTP API's listeners plus Telemetry:MetricsEndpoint's, which serves /metrics alone, as before Kestrel.</summary>
    internal static HttpServerSettings HttpSettings(ApplianceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<ListenAddress> addresses = [.. options.Http.ParseUrls()];
        if (options.Telemetry.ParseMetricsEndpoint() is { } metrics)
        {
            addresses.Add(ListenAddress.Of(metrics, metricsOnly: true));
        }

        return new HttpServerSettings(addresses, options.Http.ApiKeys, options.Http.MaxRequestBodyBytes ?? options.Requests.MaxPayloadBytes, options.Http.Cors.AllowedOrigins);
    }

    /// <summary>Runs until SIGTERM or Ctrl-C; 0 once stopped cleanly.</summary>
    public static async Task<int> RunAsync(ApplianceOptions options, IConfiguration configuration, SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var host = Build(options, configuration, systemd);
        var logger = host.Services.GetRequiredService<ILogger<ApplianceOptions>>();
        var underSystemd = systemd.NotifySocket is not null;
        LogStarting(logger, ApplianceVersion.Current, options.DeviceId, options.Engine.ModelPath!, options.Broker.Url, underSystemd);
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "appliance {Version} starting as device {DeviceId}: model {ModelPath}, broker {BrokerUrl}, systemd notify {Notify}")]
    private static partial void LogStarting(ILogger logger, string version, string deviceId, string modelPath, string brokerUrl, bool notify);
}
