using Appliance.Contract;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Http;
using Appliance.MqttService;
using Appliance.Panel;
using Appliance.TelemetryPublishing;

namespace Appliance.Hosting;

/// <summary>
/// Everything `appliance serve` is configured with, one section per part. Bound from /etc/appliance/appliance.json,
/// APPLIANCE_* environment variables and the command line (in rising precedence) by <see cref="ApplianceOptionsLoader"/>.
/// </summary>
public sealed class ApplianceOptions
{
    public const string DeviceIdKey = "DeviceId";
    public const string ShutdownTimeoutKey = "ShutdownTimeoutSeconds";

    /// <summary>Configures log levels the Microsoft.Extensions.Logging way ("Logging": { "LogLevel": { "Default": "Information" } }).</summary>
    public const string LoggingSectionName = "Logging";

    private const double MaximumShutdownTimeoutSeconds = 60;

    /// <summary>Names the box in MQTT topics; empty means "derived from the host name" (<see cref="DeviceIdentity.FromHostName"/>).</summary>
    public string DeviceId { get; set; } = "";

    public EngineOptions Engine { get; set; } = new();

    public BrokerOptions Broker { get; set; } = new();

    public RequestLimits Requests { get; set; } = new();

    public DiscoveryOptions HomeAssistant { get; set; } = new();

    public WatchdogOptions Watchdog { get; set; } = new();

    /// <summary>The front panel's LEDs and buttons; none configured = headless.</summary>
    public PanelOptions Panel { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The HTTP API; on by default, on loopback.</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>The pool of boxes this one also serves; none by default.</summary>
    public FleetOptions Fleet { get; set; } = new();

    /// <summary>
    /// SIGTERM to offline: the running request gets all but half a second of it to finish, then it is cancelled; the rest
    /// is for final messages, the offline status and disconnecting.
    /// </summary>
    public double ShutdownTimeoutSeconds { get; set; } = 2;

    /// <summary>The top-level settings that are values, not sections.</summary>
    public static IReadOnlyList<string> TopLevelSettings { get; } = [DeviceIdKey, ShutdownTimeoutKey];

    /// <summary>The top-level names a config file may use.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } =
    [
        DeviceIdKey, EngineOptions.SectionName, BrokerOptions.SectionName, RequestLimits.SectionName, DiscoveryOptions.SectionName,
        WatchdogOptions.SectionName, PanelOptions.SectionName, TelemetryOptions.SectionName, HttpOptions.SectionName, FleetOptions.SectionName, ShutdownTimeoutKey, LoggingSectionName,
    ];

    /// <summary>One message per problem, naming each option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        if (ApplianceTopics.FindDeviceIdProblem(DeviceId) is { } deviceIdProblem)
        {
            yield return $"{DeviceIdKey}: {deviceIdProblem}";
        }

        foreach (var problem in Engine.Validate().Concat(Broker.Validate()).Concat(Requests.Validate()).Concat(HomeAssistant.Validate()).Concat(Watchdog.Validate())
            .Concat(Panel.Validate()).Concat(Telemetry.Validate()).Concat(Http.Validate()).Concat(Fleet.Validate()))
        {
            yield return problem;
        }

        if (FindMetricsListenerClash() is { } clash)
        {
            yield return clash;
        }

        if (!(ShutdownTimeoutSeconds > 0 && ShutdownTimeoutSeconds <= MaximumShutdownTimeoutSeconds))
        {
            yield return FormattableString.Invariant($"{ShutdownTimeoutKey} must be > 0 and at most {MaximumShutdownTimeoutSeconds}, got {ShutdownTimeoutSeconds}");
        }
    }

    /// <summary>Telemetry:MetricsEndpoint on a port an Http:Urls listener takes already would fail to bind.</summary>
    private string? FindMetricsListenerClash()
    {
        if (Telemetry.Validate().Any() || Http.Validate().Any() || Telemetry.ParseMetricsEndpoint() is not { Port: > 0 } metrics)
        {
            return null;
        }

        var clash = Http.ParseUrls().FirstOrDefault(url => url.Port == metrics.Port && (url.Address is null || url.Localhost || url.Address.Equals(metrics.Address)));
        return clash is null ? null
            : $"{TelemetryOptions.SectionName}:MetricsEndpoint '{Telemetry.MetricsEndpoint}' is taken by {HttpOptions.SectionName}:Urls '{clash}', which serves /metrics already; remove {TelemetryOptions.SectionName}:MetricsEndpoint";
    }
}
