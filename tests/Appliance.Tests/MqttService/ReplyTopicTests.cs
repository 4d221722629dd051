using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.Tests.Mqtt;

namespace Appliance.Tests.MqttService;

/// <summary>Replies cannot be steered onto the service's own topics or Home Assistant's discovery tree.</summary>
public sealed class ReplyTopicTests : IClassFixture<PlainBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public ReplyTopicTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Theory]
    [InlineData("ask")]
    [InlineData("request")]
    [InlineData("status")]
    [InlineData("cancel")]
    [InlineData("")]
    public async Task A_reply_topic_inside_the_service_s_own_tree_is_refused_over_mqtt5_and_reply_to(string own)
    {
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        var forbidden = own.Length == 0 ? service.Topics.Base : service.Topics.Of(own);
        await using var refusals = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Response("steer5"));
        await using var v311 = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Response("steer3"), MqttProtocolVersion.V311);

        await refusals.PublishAsync(service.Topics.Request, """{"id":"steer5","prompt":"hi","stream":true}""", forbidden, [7]);
        var mqtt5 = await refusals.NextAsync();
        await v311.PublishAsync(service.Topics.Request, $$"""{"id":"steer3","prompt":"hi","reply_to":"{{forbidden}}"}""");
        var mqtt311 = await v311.NextAsync();

        Assert.Equal(("steer5", ErrorCodes.BadRequest), (mqtt5.Id, mqtt5.ErrorCode));
        Assert.Equal(service.Topics.Response("steer5"), mqtt5.Message.Topic);
        Assert.Equal([7], mqtt5.Message.CorrelationData!.Value.ToArray());
        Assert.Equal(
            $"reply topic '{forbidden}' is refused: replies may not go into the service's own topics ({service.Topics.Base}/…) other than {service.Topics.Base}/response/…",
            mqtt5.ErrorMessage);
        Assert.Equal(("steer3", ErrorCodes.BadRequest), (mqtt311.Id, mqtt311.ErrorCode));
        Assert.Equal(0, engine.Calls);
    }

    [Fact]
    public async Task Discovery_topics_are_refused_the_response_branch_is_allowed_and_allowed_patterns_are_configurable()
    {
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits => limits.AllowedReplyTopics.Add("clients/+/replies"));
        await using var client = await ReplyObserver.StartAsync(_broker.Port, "clients/+/replies");
        await using var refusals = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Response("+"));

        await refusals.PublishAsync(service.Topics.Request, """{"id":"ha","prompt":"hi"}""", "homeassistant/sensor/evil/config");
        var discovery = await refusals.NextAsync();
        await refusals.PublishAsync(service.Topics.Request, """{"id":"elsewhere","prompt":"hi"}""", "other/replies");
        var elsewhere = await refusals.NextAsync();
        await refusals.PublishAsync(service.Topics.Request, """{"id":"mine","prompt":"hi","stream":false}""", service.Topics.Response("mine-too"));
        var ownBranch = await refusals.NextAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"ok","prompt":"hi","stream":false}""", "clients/7/replies");
        var allowed = await client.NextAsync();

        Assert.Equal(("ha", ErrorCodes.BadRequest), (discovery.Id, discovery.ErrorCode));
        Assert.Equal("reply topic 'homeassistant/sensor/evil/config' is refused: replies may not go under the Home Assistant discovery prefix (homeassistant/…)", discovery.ErrorMessage);
        Assert.Equal(("elsewhere", ErrorCodes.BadRequest), (elsewhere.Id, elsewhere.ErrorCode));
        Assert.Equal("reply topic 'other/replies' is refused: it matches none of Requests:AllowedReplyTopics (clients/+/replies)", elsewhere.ErrorMessage);
        Assert.Equal((service.Topics.Response("mine-too"), "Hello, world!"), (ownBranch.Message.Topic, ownBranch.Text));
        Assert.Equal(("ok", "Hello, world!"), (allowed.Id, allowed.Text));
    }

    [Theory]
    [InlineData("#", "a/b", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("+/b", "$SYS/b", false)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    public void Topic_filters_match_as_mqtt_defines(string filter, string topic, bool matches)
    {
        Assert.Equal(matches, MqttTopic.Matches(filter, topic));
    }
}
