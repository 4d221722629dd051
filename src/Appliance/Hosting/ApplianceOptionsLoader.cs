using Appliance.Contract;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Http;
using Appliance.MqttService;
using Appliance.Panel;
using Appliance.TelemetryPublishing;
using Microsoft.Extensions.Configuration;

namespace Appliance.Hosting;

/// <summary>
/// Binds <see cref="ApplianceOptions"/> from a configuration (with the source-generated binder: no reflection) and
/// validates it, collecting every problem — values that do not convert, names no option has, out-of-range values (of
/// every value that did convert) — so one run shows them all.
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
        BindSection(problems, configuration, HttpOptions.SectionName, options.Http, static (section, target, binder) => section.Bind(target, binder));
        BindSection(problems, configuration, FleetOptions.SectionName, options.Fleet, static (section, target, binder) => section.Bind(target, binder));
        try
        {
            options.ShutdownTimeoutSeconds = configuration.GetValue(ApplianceOptions.ShutdownTimeoutKey, options.ShutdownTimeoutSeconds);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ConfigurationValueProblem.Describe(ApplianceOptions.ShutdownTimeoutKey, configuration[ApplianceOptions.ShutdownTimeoutKey] ?? "", ex));
        }

        var deviceId = configuration[ApplianceOptions.DeviceIdKey];
        options.DeviceId = string.IsNullOrEmpty(deviceId) ? DeviceIdentity.FromHostName(hostName) : deviceId;
        problems.AddRange(options.Validate());
        return problems.Count > 0 ? throw new ApplianceOptionsException(problems) : options;
    }

    /// <summary>
    /// Tries every value of the section on its own first, so a value that does not convert is reported by its path and
    /// the others are still bound (and range-checked); binds the convertible ones into <paramref name="target"/>; then
    /// binds strictly into a scratch instance, which fails only on names the options class does not have (typos).
    /// </summary>
    /// <param name="bind">A call of the generated binder for <typeparamref name="T"/> (the generator needs the static type at the call site).</param>
    private static void BindSection<T>(List<string> problems, IConfiguration configuration, string sectionName, T target, Action<IConfiguration, T, Action<BinderOptions>> bind)
        where T : new()
    {
        var values = configuration.GetSection(sectionName).AsEnumerable().Where(pair => pair.Value is not null).OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        var convertible = new List<KeyValuePair<string, string?>>(values.Count);
        foreach (var value in values)
        {
            try
            {
                bind(SectionOf(sectionName, [value]), new T(), static _ => { });
                convertible.Add(value);
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(ConfigurationValueProblem.Describe(value.Key, value.Value!, ex));
            }
        }

        var section = SectionOf(sectionName, convertible);
        bind(section, target, static _ => { });
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

    /// <summary>A configuration holding only <paramref name="values"/> (full paths), as the section <paramref name="sectionName"/>.</summary>
    private static IConfigurationSection SectionOf(string sectionName, IEnumerable<KeyValuePair<string, string?>> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(sectionName);
}
