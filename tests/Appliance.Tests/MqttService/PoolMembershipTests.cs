using System.Text;
using Appliance.Mqtt;
using Appliance.MqttService;
using Appliance.Tests.Mqtt;

namespace Appliance.Tests.MqttService;

/// <summary>When a pool box holds its shared subscription, on a <see cref="FakeBrokerConnection"/> (the broker's side is FleetTests').</summary>
public sealed class PoolMembershipTests
{
    private const string Shared = "$share/p/appliance/pool/p/request";

    [Fact]
    public async Task A_full_box_drops_the_shared_subscription_only_while_another_box_takes_requests_and_leaves_the_pool_on_stop()
    {
        var broker = new FakeBrokerConnection();
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(
            "mqtt://127.0.0.1:1883", new ScriptedEngineLoader(engine), limits => limits.QueueDepth = 1, connection: _ => broker, fleet: new FleetOptions { Pool = "p" });
        Assert.Contains($"+{Shared}", await NextChangesAsync(broker, 5));

        // Full (one running, one queued) with nobody else in the pool: stays, so pool requests are answered busy, not lost.
        broker.Deliver(Request("r1"));
        await engine.NextStartedAsync();
        broker.Deliver(Request("r2"));
        Assert.Equal("""{"queued":1,"capacity":1,"taking":true}""", await NextLoadAsync(broker, "\"queued\":1"));

        // Another box says it takes requests: this full one steps aside, and comes back when it has room.
        broker.Deliver(new MqttMessage { Topic = "appliance/pool/p/load/other", Payload = """{"queued":0,"capacity":8,"taking":true}"""u8.ToArray(), Retain = true });
        Assert.Equal($"-{Shared}", await broker.SubscriptionChanges.ReadAsync(MqttTestTimeouts.Token()));
        engine.Step(4);
        Assert.Equal($"+{Shared}", await broker.SubscriptionChanges.ReadAsync(MqttTestTimeouts.Token()));

        engine.Step(4);
        await service.StopAsync();
        Assert.Equal($"-{Shared}", await broker.SubscriptionChanges.ReadAsync(MqttTestTimeouts.Token()));
    }

    private static MqttMessage Request(string id) => new()
    {
        Topic = "appliance/pool/p/request",
        Qos = MqttQualityOfService.AtLeastOnce,
        Payload = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"a","stream":false,"reply_to":"client/replies"}"""),
    };

    private static async Task<List<string>> NextChangesAsync(FakeBrokerConnection broker, int count)
    {
        var changes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            changes.Add(await broker.SubscriptionChanges.ReadAsync(MqttTestTimeouts.Token()));
        }

        return changes;
    }

    private static async Task<string> NextLoadAsync(FakeBrokerConnection broker, string containing)
    {
        while (true)
        {
            var message = await broker.Published.ReadAsync(MqttTestTimeouts.Token());
            var text = Encoding.UTF8.GetString(message.Payload.Span);
            if (message.Topic.StartsWith("appliance/pool/p/load/", StringComparison.Ordinal) && text.Contains(containing, StringComparison.Ordinal))
            {
                return text;
            }
        }
    }
}
