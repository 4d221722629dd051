using Appliance.Mqtt;
using Appliance.TestSupport;
using Appliance.Tests.Cli;
using Appliance.Tests.Mqtt;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Appliance.Tests.Hosting;

/// <summary>
/// Two `appliance serve` processes in one pool (`Fleet:Pool`) on one Mosquitto: the broker hands each request sent to
/// `appliance/pool/&lt;pool&gt;/request` to one of them (MQTT 5 shared subscription). A client keeps a window of
/// requests outstanding, as a client of a pool does; the figures go to the test output.
/// </summary>
public sealed partial class FleetTests(TinyModelFixture model, ITestOutputHelper output) : IClassFixture<TinyModelFixture>, IDisposable
{
    private const string Pool = "fleet";
    private const string PoolRequest = $"appliance/pool/{Pool}/request";
    private readonly TempDirectory _directory = new("appliance-fleet");

    [Fact]
    public async Task Five_hundred_pool_requests_are_each_answered_once_and_both_boxes_serve_a_share()
    {
        using var broker = MosquittoBroker.StartPlain();
        using var boxA = await StartBoxAsync(broker, "box-a");
        using var boxB = await StartBoxAsync(broker, "box-b");
        await using var client = await PoolClient.StartAsync(broker.Port);

        await client.RunAsync(500, window: 8);

        // A box logs a generation after publishing its answer: stopped boxes have written every line.
        boxA.Terminate();
        boxB.Terminate();
        await boxA.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await boxB.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var (a, b) = (ServedBy(boxA), ServedBy(boxB));
        Report($"500 pool requests: answered {client.Answered} (codes {client.Codes}), twice {client.Twice}; box-a served {a}, box-b {b}");
        Assert.Equal(500, client.Answered);
        Assert.Equal(0, client.Twice);
        Assert.Equal(500, client.Done);
        Assert.Equal(500, a + b);
        Assert.True(a > 0 && b > 0, $"box-a {a}, box-b {b}");
    }

    /// <param name="sessionExpiry">Broker:SessionExpirySeconds of the boxes: how long the broker keeps a vanished box's session, shared subscription included.</param>
    [Theory]
    [InlineData("SIGTERM", 3600)]
    [InlineData("SIGKILL", 3600)]
    [InlineData("SIGKILL", 0)]
    public async Task Stopping_one_box_mid_run_leaves_the_other_serving_the_pool(string signal, int sessionExpiry)
    {
        using var broker = MosquittoBroker.StartPlain();
        using var boxA = await StartBoxAsync(broker, "box-a", sessionExpiry);
        using var boxB = await StartBoxAsync(broker, "box-b", sessionExpiry);
        await using var client = await PoolClient.StartAsync(broker.Port);

        // Nothing may be lost under SIGTERM, so there the client waits as long as a loaded machine may need; after
        // SIGKILL the dead box's requests never come, and 5 quiet seconds say so.
        var patience = TimeSpan.FromSeconds(signal == "SIGTERM" ? 30 : 5);
        var running = client.RunAsync(200, window: 16, patience);
        await client.WaitForAnswersAsync(50);
        if (signal == "SIGTERM")
        {
            boxA.Terminate();
        }
        else
        {
            using var process = Process.GetProcessById(boxA.Id);
            process.Kill();
        }

        await boxA.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await running;

        var (a, b) = (ServedBy(boxA), ServedBy(boxB));
        Report($"{signal} to box-a after 50 answers, session expiry {sessionExpiry} s, 200 pool requests: answered {client.Answered} (codes {client.Codes}), lost {client.Lost}, twice {client.Twice}; box-a generated {a}, box-b {b}");
        Assert.Equal(0, client.Twice);
        Assert.True(b > 0, $"box-b served {b}");
        if (signal == "SIGTERM")
        {
            // A stopping box answers what it took: queued requests `cancelled`, the running one done or cancelled.
            Assert.Equal(0, client.Lost);
        }
    }

    public void Dispose() => _directory.Dispose();

    private async Task<ServeProcess> StartBoxAsync(MosquittoBroker broker, string deviceId, int sessionExpiry = 3600)
    {
        var config = _directory.Combine($"{deviceId}.json");
        await File.WriteAllTextAsync(config, "{}");
        var box = ServeProcess.Start(
            ["--config", config, "--model", model.ModelPath, "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--device-id", deviceId, "--no-discovery"],
            new Dictionary<string, string>
            {
                ["APPLIANCE_FLEET__POOL"] = Pool,
                ["APPLIANCE_BROKER__SESSIONEXPIRYSECONDS"] = $"{sessionExpiry}",

                // One client brings every request here; its fair share of the box is the whole queue.
                ["APPLIANCE_REQUESTS__QUEUEDEPTHPERREPLYTOPIC"] = "8",
                ["APPLIANCE_REQUESTS__RATEPERREPLYTOPIC"] = "10000",
                ["APPLIANCE_REQUESTS__BURSTPERREPLYTOPIC"] = "10000",
            });
        await box.WaitForLineAsync(line => line.Contains("ready:", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return box;
    }

    /// <summary>Requests this box generated (its log line per finished generation).</summary>
    private static int ServedBy(ServeProcess box) => GeneratedLine().Count(box.Output);

    private void Report(string figures)
    {
        output.WriteLine(figures);
        Console.WriteLine($"fleet: {figures}");
    }

    [GeneratedRegex(@"request pool-\d+: \d+ tokens, finish")]
    private static partial Regex GeneratedLine();

    /// <summary>Sends pool requests keeping a window outstanding, and counts the replies per id.</summary>
    private sealed class PoolClient : IAsyncDisposable
    {
        private readonly BrokerConnection _client;
        private readonly string _replies = $"fleet/{Guid.NewGuid():N}/replies";
        private readonly ConcurrentDictionary<string, int> _answers = new();
        private readonly ConcurrentDictionary<string, int> _codes = new();
        private TaskCompletionSource _pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private Task _reading = Task.CompletedTask;
        private int _sent;

        private PoolClient(BrokerConnection client)
        {
            _client = client;
        }

        public int Answered => _answers.Count;

        public int Twice => _answers.Count(pair => pair.Value > 1);

        public int Lost => _sent - _answers.Count;

        public int Done => _codes.GetValueOrDefault("done");

        public string Codes => string.Join(", ", _codes.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} {pair.Value}"));

        public static async Task<PoolClient> StartAsync(int port)
        {
            var client = new PoolClient(TestClients.Create(TestClients.Options(port)));
            await client._client.ConnectAsync().Within();
            await client._client.SubscribeAsync(client._replies).Within();
            client._reading = client.ReadAsync();
            return client;
        }

        /// <summary>Sends <paramref name="count"/> requests, at most <paramref name="window"/> unanswered; an answer not come within <paramref name="patience"/> is given up (lost).</summary>
        public async Task RunAsync(int count, int window, TimeSpan? patience = null)
        {
            var limit = patience ?? TimeSpan.FromSeconds(30);
            var givenUp = 0;
            for (var i = 0; i < count; i++)
            {
                if (!await UntilAsync(() => _sent - Answered - givenUp < window, limit))
                {
                    // Nothing came back for a while: what is outstanding is lost; go on with a fresh window.
                    givenUp = _sent - Answered;
                }

                _sent++;
                await _client.PublishAsync(new MqttMessage
                {
                    Topic = PoolRequest,
                    Payload = Encoding.UTF8.GetBytes($$"""{"id":"pool-{{i}}","prompt":"hi","max_tokens":2,"stream":false,"reply_to":"{{_replies}}"}"""),
                    Qos = MqttQualityOfService.AtLeastOnce,
                }).Within();
            }

            // The last window: every answer still to come, or the patience runs out.
            await UntilAsync(() => Answered >= _sent, limit);
        }

        public async Task WaitForAnswersAsync(int count) =>
            Assert.True(await UntilAsync(() => Answered >= count, MqttTestTimeouts.Wait), $"only {Answered} answers");

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _reading;
            await _client.DisposeAsync();
            _stop.Dispose();
        }

        /// <summary>Waits until <paramref name="condition"/> holds, woken by each new answer; false when <paramref name="quiet"/> passes without one.</summary>
        private async Task<bool> UntilAsync(Func<bool> condition, TimeSpan quiet)
        {
            while (true)
            {
                var pulse = Volatile.Read(ref _pulse).Task;
                if (condition())
                {
                    return true;
                }

                try
                {
                    await pulse.WaitAsync(quiet);
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                await foreach (var message in _client.Messages.ReadAllAsync(_stop.Token))
                {
                    var reply = JsonDocument.Parse(message.Payload).RootElement;
                    var code = reply.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString()! : "done";
                    _codes.AddOrUpdate(code, 1, (_, n) => n + 1);
                    _answers.AddOrUpdate(reply.GetProperty("id").GetString()!, 1, (_, n) => n + 1);
                    Interlocked.Exchange(ref _pulse, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }
}
