using Appliance.Api;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Panel;
using Appliance.Requests;
using Appliance.Systemd;
using Appliance.TelemetryExport;
using Microsoft.Extensions.Configuration;

namespace Appliance.Hosting;

/// <summary>
/// Binds <see cref="ApplianceOptions"/> from a configuration (with the source-generated binder: no reflection) and
/// validates it, collecting every problem — values that do not convert, names no option has, out-of-range values — so
/// one run shows them all.
/// </summary>
public static class ApplianceOptionsLoader
{
    /// <summary>Throws <see cref="ApplianceOptionsException"/> listing every problem.</summary>
    public static ApplianceOptions Load(IConfiguration configuration, string hostName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ApplianceOptions();
        var problems = ApplianceConfiguration.FindUnknownNames(configuration).ToList();
        BindSection(problems, configuration, EngineOptions.SectionName, options.Engine, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, BrokerOptions.SectionName, options.Broker, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, RequestLimits.SectionName, options.Requests, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, DiscoveryOptions.SectionName, options.HomeAssistant, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, WatchdogOptions.SectionName, options.Watchdog, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, PanelOptions.SectionName, options.Panel, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, TelemetryOptions.SectionName, options.Telemetry, static (section, target, binder) => section.Bind(target, binder));
        try
        {
            options.ShutdownTimeoutSeconds = configuration.GetValue(ApplianceOptions.ShutdownTimeoutKey, options.ShutdownTimeoutSeconds);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(Describe(ex));
        }

        var deviceId = configuration[ApplianceOptions.DeviceIdKey];
        options.DeviceId = string.IsNullOrEmpty(deviceId) ? DeviceIdentity.FromHostName(hostName) : deviceId;
        problems.AddRange(options.Validate());
        return problems.Count > 0 ? throw new ApplianceOptionsException(problems) : options;
    }

    /// <summary>
    /// Binds leniently first, so one bad value does not hide the others; then binds strictly into a scratch instance,
    /// which fails only on names the options class does not have (typos).
    /// </summary>
    /// <param name="bind">A call of the generated binder for <typeparamref name="T"/> (the generator needs the static type at the call site).</param>
    private static void BindSection<T>(List<string> problems, IConfiguration configuration, string sectionName, T target, Action<IConfiguration, T, Action<BinderOptions>> bind)
        where T : new()
    {
        var section = configuration.GetSection(sectionName);
        try
        {
            bind(section, target, static _ => { });
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(Describe(ex));
            return;
        }

        try
        {
            bind(section, new T(), static binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // The binder lists the unknown names after the last ": " ("... on the instance of X: 'Thread', 'Modle'").
            var separator = ex.Message.LastIndexOf(": ", StringComparison.Ordinal);
            problems.Add(separator < 0 ? ex.Message : $"{sectionName} has no setting {ex.Message[(separator + 2)..]}");
        }
    }

    private static string Describe(InvalidOperationException ex) => ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
}
