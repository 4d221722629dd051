using Appliance.Hosting;
using Appliance.State;

namespace Appliance.Tests.Hosting;

public sealed class NotifyMessagesTests
{
    [Theory]
    [InlineData(ServiceState.Starting, null, null, "STATUS=starting")]
    [InlineData(ServiceState.Ready, "qwen3-0.6b", null, "STATUS=ready (qwen3-0.6b)")]
    [InlineData(ServiceState.Error, null, "broker unreachable", "STATUS=error: broker unreachable")]
    [InlineData(ServiceState.Busy, "m", "2 queued", "STATUS=busy (m): 2 queued")]
    public void Status_names_the_state_the_model_and_the_detail(ServiceState state, string? model, string? detail, string expected)
    {
        Assert.Equal(expected, NotifyMessages.Status(new ServiceStatus(state, model, detail)));
    }

    [Fact]
    public void Status_flattens_line_breaks_so_a_detail_cannot_add_assignments()
    {
        var message = NotifyMessages.Status(new ServiceStatus(ServiceState.Error, "m\nREADY=1", "bad\r\nWATCHDOG=1"));

        Assert.Equal("STATUS=error (m READY=1): bad WATCHDOG=1", message);
        Assert.DoesNotContain('\n', message);
    }
}
