using Appliance.Contract;
using Appliance.Pipeline;
using Appliance.TestSupport;
using Appliance.Tests.Mqtt;

namespace Appliance.Tests.MqttService;

/// <summary>One client flooding requests cannot starve another: per-reply-topic queue share and intake rate.</summary>
public sealed class FairnessTests : IClassFixture<PlainBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public FairnessTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Fact]
    public async Task A_flooding_client_gets_busy_beyond_its_queue_share_and_a_quiet_client_is_still_queued_and_answered()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits =>
        {
            limits.QueueDepth = 8;
            limits.QueueDepthPerReplyTopic = 2;
        });
        var flooderTopic = $"test/{Guid.NewGuid():N}/flood";
        var quietTopic = $"test/{Guid.NewGuid():N}/quiet";
        await using var flooder = await ReplyObserver.StartAsync(_broker.Port, flooderTopic);
        await using var quiet = await ReplyObserver.StartAsync(_broker.Port, quietTopic);

        await flooder.PublishAsync(service.Topics.Request, """{"id":"f0","prompt":"a","stream":false}""", flooderTopic);
        await engine.NextStartedAsync();
        for (var i = 1; i <= 10; i++)
        {
            await flooder.PublishAsync(service.Topics.Request, $$"""{"id":"f{{i}}","prompt":"a","stream":false}""", flooderTopic);
        }

        var busy = new List<Reply>();
        for (var i = 0; i < 8; i++)
        {
            busy.Add(await flooder.NextAsync());
        }

        await quiet.PublishAsync(service.Topics.Request, """{"id":"q","prompt":"a","stream":false}""", quietTopic);
        engine.Step(4 * 4);
        var answer = await quiet.NextAsync();

        Assert.All(busy, reply => Assert.Equal(ErrorCodes.Busy, reply.ErrorCode));
        Assert.Equal(Enumerable.Range(3, 8).Select(i => $"f{i}"), busy.Select(reply => reply.Id));
        Assert.Contains("Requests:QueueDepthPerReplyTopic", busy[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(("q", "Hello, world!"), (answer.Id, answer.Text));
        Assert.Equal(4, engine.Calls);
    }

    [Fact]
    public void Each_reply_topic_has_its_own_token_bucket_refilled_at_the_configured_rate()
    {
        var clock = new ManualTimeProvider();
        var limiter = new ClientRateLimiter(ratePerSecond: 2, burst: 3, clock);

        var burst = Enumerable.Range(0, 4).Select(_ => limiter.TryTake("flood")).ToList();
        var other = limiter.TryTake("quiet");
        clock.Advance(TimeSpan.FromSeconds(0.5));
        var afterHalfSecond = (limiter.TryTake("flood"), limiter.TryTake("flood"));
        clock.Advance(TimeSpan.FromSeconds(10));
        var refilled = Enumerable.Range(0, 4).Count(_ => limiter.TryTake("flood"));

        Assert.Equal([true, true, true, false], burst);
        Assert.True(other);
        Assert.Equal((true, false), afterHalfSecond);
        Assert.Equal(3, refilled);
    }
}
