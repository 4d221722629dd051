using Appliance.Hosting;

namespace Appliance.Tests.Hosting;

public sealed class EnvironmentSettingsTests
{
    [Fact]
    public void Takes_appliance_variables_with_double_underscores_as_section_separators()
    {
        var settings = EnvironmentSettings.Read(new Dictionary<string, string?>
        {
            ["APPLIANCE_BROKER__URL"] = "mqtt://b:1",
            ["appliance_deviceid"] = "box",
            ["APPLIANCE_SHUTDOWNTIMEOUTSECONDS"] = "3",
            ["PATH"] = "/usr/bin",
            ["MY_APPLIANCE_BROKER__URL"] = "no",
        });

        Assert.Equal(3, settings.Count);
        Assert.Equal("mqtt://b:1", settings["Broker:Url"]);
        Assert.Equal("box", settings["DeviceId"]);
        Assert.Equal("3", settings["ShutdownTimeoutSeconds"]);
    }

    [Fact]
    public void Ignores_other_tools_appliance_variables()
    {
        var settings = EnvironmentSettings.Read(new Dictionary<string, string?>
        {
            ["APPLIANCE_ORT_LIBRARY"] = "/opt/ort/libonnxruntime.so.1",
            ["APPLIANCE_BROKER"] = "mqtt://run-sh:1883",
            ["APPLIANCE_MODEL"] = "/models/x",
            ["APPLIANCE_"] = "empty name",
        });

        Assert.Empty(settings);
    }
}
