using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Appliance.Mqtt;

namespace Appliance.Hostile;

/// <summary>
/// Two clients: one floods requests as fast as the broker takes them, the other asks one question at a time. Reports
/// the quiet client's latency alone and during the flood (p50/p99/max), what each got, and the service's RSS.
/// </summary>
internal sealed class FloodRun(HostileRig rig, int flood, int quiet)
{
    private const string FloodReplies = "hostile/flood";
    private const string QuietReplies = "hostile/quiet";
    private const int Batch = 200;
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(30);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var flooder = await rig.ClientAsync(MqttProtocolVersion.V500, FloodReplies, cancellationToken).ConfigureAwait(false);
        await using var asker = await rig.ClientAsync(MqttProtocolVersion.V500, QuietReplies, cancellationToken).ConfigureAwait(false);
        var waiting = new ConcurrentDictionary<string, TaskCompletionSource<string>>(StringComparer.Ordinal);
        var quietReader = Task.Run(() => ReadQuietAsync(asker, waiting, cancellationToken), CancellationToken.None);

        var baseline = await AskAsync(asker, waiting, "b", quiet / 4, cancellationToken).ConfigureAwait(false);
        var rssBefore = rig.ServiceRssBytes();

        var floodOutcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var floodDone = new CancellationTokenSource();
        var floodReader = Task.Run(() => ReadFloodAsync(flooder, floodOutcomes, floodDone.Token), CancellationToken.None);
        var rssMax = rssBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(
            async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    rssMax = Math.Max(rssMax, rig.ServiceRssBytes());
                    await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                }
            },
            CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var flooding = FloodAsync(flooder, cancellationToken);
        var during = await AskAsync(asker, waiting, "q", quiet, cancellationToken).ConfigureAwait(false);
        var floodSent = await flooding.ConfigureAwait(false);

        // The flooder's replies (mostly busy) drain after its last publish; give them a bounded while.
        var drain = Stopwatch.StartNew();
        while (floodOutcomes.Values.Sum() < flood && drain.Elapsed < AnswerLimit)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        await floodDone.CancelAsync().ConfigureAwait(false);
        await floodReader.ConfigureAwait(false);
        var rssAfter = rig.ServiceRssBytes();

        output.WriteLine($"flood: {flood} requests from one client in {floodSent.TotalSeconds:F1} s ({flood / floodSent.TotalSeconds:F0}/s), {quiet} sequential requests from a second client meanwhile");
        output.WriteLine($"  quiet client alone:        {baseline.Describe()}");
        output.WriteLine($"  quiet client during flood: {during.Describe()}");
        output.WriteLine($"  flooder got: {string.Join(", ", floodOutcomes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"))} ({floodOutcomes.Values.Sum()} of {flood} replies, {clock.Elapsed.TotalSeconds:F1} s)");
        output.WriteLine($"  service RSS: {rssBefore / 1048576.0:F1} MiB before, {rssMax / 1048576.0:F1} MiB max, {rssAfter / 1048576.0:F1} MiB after");
        await quietReader.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        return during.Done == quiet && rig.ServiceRunning;
    }

    private async Task<TimeSpan> FloodAsync(BrokerConnection client, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < flood; start += Batch)
        {
            var batch = Enumerable.Range(start, Math.Min(Batch, flood - start)).Select(i => client.PublishAsync(
                new MqttMessage
                {
                    Topic = HostileRig.RequestTopic,
                    Payload = Encoding.UTF8.GetBytes($$"""{"id":"f{{i}}","prompt":"flood {{i}}","max_tokens":8,"stream":false}"""),
                    Qos = MqttQualityOfService.AtLeastOnce,
                    ResponseTopic = FloodReplies,
                },
                cancellationToken));
            await Task.WhenAll(batch).ConfigureAwait(false);
        }

        return clock.Elapsed;
    }

    private static async Task<QuietResult> AskAsync(BrokerConnection client, ConcurrentDictionary<string, TaskCompletionSource<string>> waiting, string prefix, int count, CancellationToken cancellationToken)
    {
        var result = new QuietResult();
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}{i}";
            var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[id] = answered;
            var clock = Stopwatch.StartNew();
            await client.PublishAsync(
                new MqttMessage
                {
                    Topic = HostileRig.RequestTopic,
                    Payload = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"What is the capital of France?","max_tokens":8,"stream":false}"""),
                    Qos = MqttQualityOfService.AtLeastOnce,
                    ResponseTopic = QuietReplies,
                },
                cancellationToken).ConfigureAwait(false);
            try
            {
                var outcome = await answered.Task.WaitAsync(AnswerLimit, cancellationToken).ConfigureAwait(false);
                result.Add(outcome, clock.Elapsed);
            }
            catch (TimeoutException)
            {
                result.Add("no answer", clock.Elapsed);
            }
        }

        return result;
    }

    private static async Task ReadQuietAsync(BrokerConnection client, ConcurrentDictionary<string, TaskCompletionSource<string>> waiting, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var reply in client.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var (id, outcome) = Outcome(reply);
                if (waiting.TryRemove(id, out var answered))
                {
                    answered.TrySetResult(outcome);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private static async Task ReadFloodAsync(BrokerConnection client, ConcurrentDictionary<string, int> outcomes, CancellationToken stop)
    {
        try
        {
            await foreach (var reply in client.Messages.ReadAllAsync(stop).ConfigureAwait(false))
            {
                outcomes.AddOrUpdate(Outcome(reply).Outcome, 1, (_, n) => n + 1);
            }
        }
        catch (OperationCanceledException)
        {
            // Done counting.
        }
    }

    private static (string Id, string Outcome) Outcome(MqttMessage reply)
    {
        using var json = JsonDocument.Parse(reply.Payload);
        var root = json.RootElement;
        var outcome = root.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString()! : "done";
        return (root.GetProperty("id").GetString()!, outcome);
    }

    /// <summary>Latencies and outcomes of the quiet client's requests.</summary>
    private sealed class QuietResult
    {
        private readonly List<double> _milliseconds = [];
        private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);

        public int Done => _outcomes.GetValueOrDefault("done");

        public void Add(string outcome, TimeSpan latency)
        {
            _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
            _milliseconds.Add(latency.TotalMilliseconds);
        }

        public string Describe()
        {
            if (_milliseconds.Count == 0)
            {
                return "no requests";
            }

            var sorted = _milliseconds.Order().ToList();
            double At(double quantile) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
            return $"{string.Join(", ", _outcomes.Select(pair => $"{pair.Key} {pair.Value}"))}; latency p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms";
        }
    }
}
