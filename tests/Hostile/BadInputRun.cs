using Appliance.Mqtt;
using Appliance.Tests.Contract;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Appliance.Hostile;

/// <summary>
/// Malformed requests over MQTT 5 (response topic + correlation data) and MQTT 3.1.1 (default response topic):
/// counts replies per request (exactly one error each is the goal), silent drops and duplicates, then checks the
/// service still answers a good request.
/// </summary>
internal sealed class BadInputRun(HostileRig rig, int count)
{
    private const string V5Replies = "hostile/v5";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var v5 = await rig.ClientAsync(MqttProtocolVersion.V500, V5Replies, cancellationToken).ConfigureAwait(false);
        await using var v311 = await rig.ClientAsync(MqttProtocolVersion.V311, HostileRig.DefaultResponseFilter, cancellationToken).ConfigureAwait(false);
        var forV5 = MalformedRequests.Generate(seed: 501, count: count / 2);
        var forV311 = MalformedRequests.Generate(seed: 311, count: count - (count / 2));
        var perRequest = new int[forV5.Count];
        var v311Ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var v5NotErrors = 0;
        var v311NotErrors = 0;

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < forV5.Count; i++)
        {
            var correlation = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(correlation, i);
            await v5.PublishAsync(new MqttMessage { Topic = HostileRig.RequestTopic, Payload = forV5[i], Qos = MqttQualityOfService.AtLeastOnce, ResponseTopic = V5Replies, CorrelationData = correlation }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var payload in forV311)
        {
            await v311.PublishAsync(new MqttMessage { Topic = HostileRig.RequestTopic, Payload = payload, Qos = MqttQualityOfService.AtLeastOnce }, cancellationToken).ConfigureAwait(false);
        }

        var sent = clock.Elapsed;
        var reading5 = ReadAsync(v5, reply =>
        {
            perRequest[BinaryPrimitives.ReadInt32BigEndian(reply.CorrelationData!.Value.Span)]++;
            v5NotErrors += IsError(reply) ? 0 : 1;
        }, () => perRequest.Sum() >= forV5.Count, cancellationToken);
        var reading311 = ReadAsync(v311, reply =>
        {
            using var json = JsonDocument.Parse(reply.Payload);
            var id = json.RootElement.GetProperty("id").GetString()!;
            v311Ids[id] = v311Ids.GetValueOrDefault(id) + 1;
            v311NotErrors += IsError(reply) ? 0 : 1;
        }, () => v311Ids.Values.Sum() >= forV311.Count, cancellationToken);
        await Task.WhenAll(reading5, reading311).ConfigureAwait(false);
        var answered = clock.Elapsed;

        var alive = await StillAnswersAsync(v5, cancellationToken).ConfigureAwait(false);
        var v5Silent = perRequest.Count(n => n == 0);
        var v5Twice = perRequest.Count(n => n > 1);
        var v311Replies = v311Ids.Values.Sum();
        var notErrors = v5NotErrors + v311NotErrors;
        output.WriteLine($"bad input: {count} malformed requests ({forV5.Count} over MQTT 5, {forV311.Count} over MQTT 3.1.1), sent in {sent.TotalSeconds:F1} s, replies in {answered.TotalSeconds:F1} s");
        output.WriteLine($"  MQTT 5:     {perRequest.Count(n => n == 1)} answered exactly once, {v5Silent} silent, {v5Twice} more than once");
        output.WriteLine($"  MQTT 3.1.1: {v311Replies} replies for {forV311.Count} requests, {v311Ids.Count} distinct ids, {v311Ids.Values.Count(n => n > 1)} ids answered more than once");
        output.WriteLine($"  replies that were not errors: {notErrors}; service running: {rig.ServiceRunning}; a good request afterwards answered: {alive}");
        return v5Silent == 0 && v5Twice == 0 && v311Replies == forV311.Count && v311Ids.Count == forV311.Count && notErrors == 0 && alive;
    }

    private static bool IsError(MqttMessage reply)
    {
        using var json = JsonDocument.Parse(reply.Payload);
        return json.RootElement.TryGetProperty("error", out _);
    }

    /// <summary>Reads replies until <paramref name="complete"/>, then a little longer to catch duplicates; bounded by <see cref="Limit"/>.</summary>
    private static async Task ReadAsync(BrokerConnection client, Action<MqttMessage> count, Func<bool> complete, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var settled = false;
        try
        {
            while (true)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
                if (complete())
                {
                    if (settled)
                    {
                        return;
                    }

                    settled = true;
                    wait.CancelAfter(Settle);
                }

                MqttMessage reply;
                try
                {
                    reply = await client.Messages.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (settled && !limit.IsCancellationRequested)
                {
                    return;
                }

                count(reply);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Whatever has not come by now counts as silent.
        }
    }

    private static async Task<bool> StillAnswersAsync(BrokerConnection client, CancellationToken cancellationToken)
    {
        await client.PublishAsync(new MqttMessage
        {
            Topic = HostileRig.RequestTopic,
            Payload = Encoding.UTF8.GetBytes("""{"id":"alive","prompt":"Still there?","max_tokens":4,"stream":false}"""),
            Qos = MqttQualityOfService.AtLeastOnce,
            ResponseTopic = V5Replies,
            CorrelationData = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF },
        }, cancellationToken).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var reply = await client.Messages.ReadAsync(limit.Token).ConfigureAwait(false);
        using var json = JsonDocument.Parse(reply.Payload);
        return json.RootElement.TryGetProperty("done", out _);
    }
}
