using Appliance.Contract;
using Appliance.Hosting;

namespace Appliance.Tests.Hosting;

public sealed class DeviceIdentityTests
{
    [Theory]
    [InlineData("raspberrypi", "raspberrypi")]
    [InlineData("Jetson-Orin_01", "jetson-orin_01")]
    [InlineData("box.local", "box-local")]
    [InlineData("  kitchen #2 / +left ", "kitchen-2-left")]
    [InlineData("...", "appliance")]
    [InlineData("", "appliance")]
    [InlineData(null, "appliance")]
    [InlineData("ünïcode-höst", "n-code-h-st")]
    public void Derives_a_topic_safe_id_from_the_host_name(string? hostName, string expected)
    {
        Assert.Equal(expected, DeviceIdentity.FromHostName(hostName));
        Assert.Null(ApplianceTopics.FindDeviceIdProblem(expected));
    }

    [Fact]
    public void A_derived_id_is_at_most_64_characters()
    {
        var id = DeviceIdentity.FromHostName(new string('a', 100));

        Assert.Equal(new string('a', 64), id);
        Assert.Null(ApplianceTopics.FindDeviceIdProblem(id));
    }
}
