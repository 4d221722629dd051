using Appliance.MqttService;

namespace Appliance.Tests.MqttService;

public sealed class RecentRequestIdsTests
{
    [Fact]
    public void Recent_ids_remember_a_bounded_number_forgetting_the_oldest()
    {
        var recent = new RecentRequestIds(capacity: 3);

        Assert.True(recent.Add("a"));
        Assert.False(recent.Add("a"));
        recent.Add("b");
        recent.Add("c");
        recent.Add("d");

        Assert.False(recent.Contains("a"));
        Assert.True(recent.Contains("b") && recent.Contains("c") && recent.Contains("d"));
        Assert.Equal(3, recent.Count);
        for (var i = 0; i < 10_000; i++)
        {
            recent.Add($"id-{i}");
        }

        Assert.Equal(3, recent.Count);
        Assert.True(recent.Contains("id-9999"));
    }
}
