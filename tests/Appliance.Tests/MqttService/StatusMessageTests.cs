using Appliance.Contract;
using Appliance.MqttService;
using Appliance.State;
using System.Text.Json;

namespace Appliance.Tests.MqttService;

public sealed class StatusMessageTests
{
    private static readonly ApplianceTopics Topics = new("box");

    [Fact]
    public void Problems_of_parts_beside_the_request_path_are_published_with_the_state()
    {
        var status = new ServiceStatus(ServiceState.Ready, "tiny", null) { Problems = ImmutableProblems("panel", "Panel:Leds:Error unavailable: EBUSY") };

        var message = StatusPublisher.StatusMessage(Topics, status);

        using var json = JsonDocument.Parse(message.Payload);
        Assert.Equal("appliance/box/status", message.Topic);
        Assert.True(message.Retain);
        Assert.Equal("ready", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("Panel:Leds:Error unavailable: EBUSY", json.RootElement.GetProperty("problems").GetProperty("panel").GetString());
    }

    [Fact]
    public void Without_problems_the_status_has_no_problems_field()
    {
        var message = StatusPublisher.StatusMessage(Topics, new ServiceStatus(ServiceState.Ready, "tiny", null));

        using var json = JsonDocument.Parse(message.Payload);
        Assert.False(json.RootElement.TryGetProperty("problems", out _));
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, string> ImmutableProblems(string part, string problem) =>
        System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add(part, problem);
}
