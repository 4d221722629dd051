using Appliance.Hosting;
using Appliance.TestSupport;

namespace Appliance.Tests.Hosting;

/// <summary>The config file the .deb installs as /etc/appliance/appliance.json.</summary>
public sealed class ShippedConfigTests
{
    [Fact]
    public void Binds_without_unknown_names_and_keeps_the_built_in_defaults()
    {
        var shipped = new ApplianceSettingsSources { ConfigFile = RepoPaths.Combine("image", "appliance.json") };
        Assert.Equal("/var/lib/appliance/models/default", ApplianceConfiguration.Build(shipped)["Engine:ModelPath"]);

        // The model directory does not exist here: point it at one to validate everything else.
        using var model = new TempDirectory("shipped-config-model");
        var configuration = ApplianceConfiguration.Build(shipped with
        {
            CommandLine = new Dictionary<string, string?> { ["Engine:ModelPath"] = model.Path },
        });
        var options = ApplianceOptionsLoader.Load(configuration, "shipped");
        var defaults = new ApplianceOptions();

        Assert.Equal("shipped", options.DeviceId);
        // The unit's CacheDirectory=appliance is the one writable place for it under ProtectSystem=strict.
        Assert.Equal("/var/cache/appliance/sessions", options.Engine.SessionCache);
        Assert.Contains("CacheDirectory=appliance", File.ReadAllLines(RepoPaths.Combine("image", "appliance.service")));
        Assert.Equal(defaults.Broker.Url, options.Broker.Url);
        Assert.Equal(defaults.Requests.QueueDepth, options.Requests.QueueDepth);
        Assert.Equal(defaults.Requests.MaxTokensCap, options.Requests.MaxTokensCap);
        Assert.Equal(defaults.Requests.TimeoutSeconds, options.Requests.TimeoutSeconds);
        Assert.Equal(defaults.HomeAssistant.Prefix, options.HomeAssistant.Prefix);
        Assert.Equal(defaults.Watchdog.StallLimitSeconds, options.Watchdog.StallLimitSeconds);
        Assert.Equal(defaults.ShutdownTimeoutSeconds, options.ShutdownTimeoutSeconds);
    }
}
