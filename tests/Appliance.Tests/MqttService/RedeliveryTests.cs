using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.Tests.Mqtt;
using System.Text;
using System.Text.Json;

namespace Appliance.Tests.MqttService;

/// <summary>
/// True redeliveries (the broker sends a request again with DUP set) are dropped silently; only a scripted broker can
/// send them on cue, so the service runs on a <see cref="FakeBrokerConnection"/>. A new message reusing the id is answered duplicate_id.
/// </summary>
public sealed class RedeliveryTests
{
    private const string Replies = "client/replies";

    [Fact]
    public async Task A_broker_redelivery_of_a_taken_request_is_dropped_and_a_new_message_reusing_its_id_gets_duplicate_id()
    {
        var broker = new FakeBrokerConnection();
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync("mqtt://127.0.0.1:1883", new ScriptedEngineLoader(engine), connection: _ => broker);

        broker.Deliver(Request(service.Topics.Request, "r1", dup: false));
        var answer = await NextReplyAsync(broker);
        broker.Deliver(Request(service.Topics.Request, "r1", dup: true));
        broker.Deliver(Request(service.Topics.Request, "sentinel", dup: false));
        var afterRedelivery = await NextReplyAsync(broker);
        broker.Deliver(Request(service.Topics.Request, "r1", dup: false));
        var reused = await NextReplyAsync(broker);

        Assert.Equal(("r1", "Hello, world!"), (answer.GetProperty("id").GetString(), answer.GetProperty("text").GetString()));
        Assert.Equal("sentinel", afterRedelivery.GetProperty("id").GetString());
        Assert.Equal(("r1", ErrorCodes.DuplicateId), (reused.GetProperty("id").GetString(), reused.GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal(2, engine.Calls);
    }

    private static MqttMessage Request(string topic, string id, bool dup) => new()
    {
        Topic = topic,
        Qos = MqttQualityOfService.AtLeastOnce,
        Dup = dup,
        Payload = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"a","stream":false,"reply_to":"{{Replies}}"}"""),
    };

    /// <summary>The next message the service published to the reply topic (status messages skipped).</summary>
    private static async Task<JsonElement> NextReplyAsync(FakeBrokerConnection broker)
    {
        while (true)
        {
            var message = await broker.Published.ReadAsync(MqttTestTimeouts.Token());
            if (message.Topic == Replies)
            {
                return JsonDocument.Parse(message.Payload).RootElement.Clone();
            }
        }
    }
}
