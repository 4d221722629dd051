using Appliance.Mqtt;
using Appliance.Tests.Mqtt;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Appliance.Tests.MqttService;

/// <summary>
/// `kill -9` of the broker while requests flow, then a restart on the same port: requests sent, answered, lost and
/// answered twice, with Mosquitto persisting sessions and without. Both the service and the requester keep
/// persistent sessions (Clean Start 0, session expiry), as the README advises for clients that must not lose replies.
/// </summary>
public sealed class BrokerKillTests
{
    private const int Batch = 20;
    private readonly ITestOutputHelper _output;

    public BrokerKillTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task With_persistence_no_request_is_lost_across_a_kill_9_of_the_broker()
    {
        var figures = await MeasureAsync(persistence: true);
        Assert.Equal(0, figures.Lost);
        Assert.Equal(figures.Sent, figures.Answered);
    }

    [Fact]
    public async Task Without_persistence_the_service_comes_back_and_answers_what_reaches_it()
    {
        var figures = await MeasureAsync(persistence: false);

        // Whatever the broker held when it died is gone, and so is what reached it before the service resubscribed
        // (the figures say how much); the service itself is back.
        Assert.True(figures.ServiceBack, figures.ToString());
    }

    private async Task<Figures> MeasureAsync(bool persistence)
    {
        using var broker = MosquittoBroker.StartPlain(persistence);
        var engine = new ScriptedEngine();
        // Room for every request: a busy refusal would answer it, and this counts what the broker loses.
        await using var service = await ServiceHarness.StartAsync(broker, engine, limits =>
        {
            limits.QueueDepth = limits.QueueDepthPerReplyTopic = 3 * Batch;
            limits.RatePerReplyTopic = limits.BurstPerReplyTopic = 1000;
        });
        var replyTopic = $"test/{Guid.NewGuid():N}/replies";
        var options = TestClients.Options(broker.Port);
        options.CleanStart = false;
        options.SessionExpirySeconds = 3600;
        await using var requester = TestClients.Create(options);
        await requester.ConnectAsync().Within();
        await requester.SubscribeAsync(replyTopic).Within();
        var answers = new ConcurrentDictionary<string, int>();
        using var stopReading = new CancellationTokenSource();
        var reading = ReadRepliesAsync(requester, answers, stopReading.Token);

        // Before the kill, during the outage (held in the requester's outbox) and after the restart.
        var sent = new List<Task>();
        Send(requester, service.Topics.Request, replyTopic, "before", sent);
        await WaitUntilAsync(() => !answers.IsEmpty);
        broker.Kill();
        Send(requester, service.Topics.Request, replyTopic, "during", sent);
        broker.Start();
        Send(requester, service.Topics.Request, replyTopic, "after", sent);
        await Task.WhenAll(sent).WaitAsync(TimeSpan.FromSeconds(30));

        // Every request is acknowledged by the broker; its answer comes within a second or not at all (the engine
        // answers in microseconds, reconnects take 20-250 ms).
        var total = 3 * Batch;
        var settled = await WaitUntilAsync(() => answers.Count == total, TimeSpan.FromSeconds(persistence ? 20 : 3));
        var figures = new Figures(
            persistence,
            total,
            answers.Count,
            total - answers.Count,
            answers.Count(pair => pair.Value > 1),
            answers.Keys.Count(id => id.StartsWith("after", StringComparison.Ordinal)));
        _output.WriteLine(figures.ToString());
        Console.WriteLine($"broker-kill: {figures}");
        Assert.True(settled || !persistence, figures.ToString());
        figures = figures with { ServiceBack = await ServiceAnswersAsync(requester, service.Topics.Request, replyTopic, answers) };
        await stopReading.CancelAsync();
        await reading.Within();
        return figures;
    }

    private static void Send(BrokerConnection requester, string topic, string replyTopic, string phase, List<Task> sent)
    {
        for (var i = 0; i < Batch; i++)
        {
            sent.Add(requester.PublishAsync(new MqttMessage
            {
                Topic = topic,
                Payload = Encoding.UTF8.GetBytes($$"""{"id":"{{phase}}-{{i}}","prompt":"hi","stream":false,"reply_to":"{{replyTopic}}"}"""),
                Qos = MqttQualityOfService.AtLeastOnce,
            }));
        }
    }

    /// <summary>Counts final messages per id; an error reply (busy, duplicate_id) would fail the test.</summary>
    private static async Task ReadRepliesAsync(BrokerConnection requester, ConcurrentDictionary<string, int> answers, CancellationToken stop)
    {
        try
        {
            await foreach (var message in requester.Messages.ReadAllAsync(stop))
            {
                var reply = JsonDocument.Parse(message.Payload).RootElement;
                Assert.False(reply.TryGetProperty("error", out var error), $"an error reply: {error}");
                answers.AddOrUpdate(reply.GetProperty("id").GetString()!, 1, (_, count) => count + 1);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Polls every 20 ms until <paramref name="done"/> or the limit (default 10 s); whether it got there.</summary>
    private static async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? MqttTestTimeouts.Wait);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Sends a request every 100 ms until one is answered (at most 50).</summary>
    private static async Task<bool> ServiceAnswersAsync(BrokerConnection requester, string topic, string replyTopic, ConcurrentDictionary<string, int> answers)
    {
        for (var i = 0; i < 50; i++)
        {
            var id = $"check-{i}";
            await requester.PublishAsync(new MqttMessage
            {
                Topic = topic,
                Payload = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"hi","stream":false,"reply_to":"{{replyTopic}}"}"""),
                Qos = MqttQualityOfService.AtLeastOnce,
            }).Within();
            if (await WaitUntilAsync(() => answers.Keys.Any(key => key.StartsWith("check-", StringComparison.Ordinal)), TimeSpan.FromMilliseconds(100)))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Figures(bool Persistence, int Sent, int Answered, int Lost, int Duplicated, int AnsweredAfterRestart, bool ServiceBack = false)
    {
        public override string ToString() =>
            $"persistence {(Persistence ? "on" : "off")}: sent {Sent}, answered {Answered}, lost {Lost}, answered twice {Duplicated} (sent after the restart and answered: {AnsweredAfterRestart} of {Batch})";
    }
}
