using Appliance.Panel;
using Appliance.State;

namespace Appliance.Tests.Panel;

public sealed class PanelIndicationTests
{
    [Theory]
    [InlineData(ServiceState.Starting, "off", "fast blink", "off")]
    [InlineData(ServiceState.Loading, "off", "slow blink", "off")]
    [InlineData(ServiceState.Ready, "solid", "off", "off")]
    [InlineData(ServiceState.Busy, "solid", "solid", "off")]
    [InlineData(ServiceState.Offline, "heartbeat", "off", "off")]
    public void Each_state_has_its_leds(ServiceState state, string ready, string busy, string error)
    {
        var indication = PanelIndication.For(new ServiceStatus(state, "tiny", null));

        Assert.Equal((ready, busy, error), (indication.Ready.Name, indication.Busy.Name, indication.Error.Name));
    }

    [Fact]
    public void Errors_blink_code_1_with_a_model_loaded_and_code_2_without()
    {
        var failure = PanelIndication.For(new ServiceStatus(ServiceState.Error, "tiny", "decode failed"));
        var noModel = PanelIndication.For(new ServiceStatus(ServiceState.Error, null, "model.onnx missing"));

        Assert.Equal(("off", "off", "error code 1"), (failure.Ready.Name, failure.Busy.Name, failure.Error.Name));
        Assert.Equal("error code 2", noModel.Error.Name);
    }

    [Fact]
    public void The_same_status_gives_an_equal_indication_so_the_leds_keep_their_phase()
    {
        Assert.Equal(
            PanelIndication.For(new ServiceStatus(ServiceState.Error, null, "a")),
            PanelIndication.For(new ServiceStatus(ServiceState.Error, null, "b")));
        Assert.NotEqual(
            PanelIndication.For(new ServiceStatus(ServiceState.Error, null, null)),
            PanelIndication.For(new ServiceStatus(ServiceState.Error, "tiny", null)));
    }
}
