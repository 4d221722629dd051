using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Mqtt;

namespace Appliance.Soak;

/// <summary>
/// One MQTT 5 client asking the service one question at a time: each request names this client's response topic and
/// carries its id as correlation data; it waits for the final message (done or error) or gives up after the timeout
/// and moves on (the request then counts as lost unless its answer turns up later).
/// </summary>
internal sealed class SoakClient(int index, int brokerPort, string requestTopic, SoakSettings settings, SoakLedger ledger, string runId) : IAsyncDisposable
{
    private readonly BrokerConnection _client = new(new BrokerConnectionOptions
    {
        Host = "127.0.0.1",
        Port = brokerPort,
        ClientId = $"soak-{runId}-{index}",

        // A session the broker keeps across its restart (it persists them): replies published meanwhile are kept.
        CleanStart = false,
        SessionExpirySeconds = 3600,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaximumDelay = TimeSpan.FromMilliseconds(250) },
    });

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly string _replyTopic = $"soak/{runId}/{index}";
    private Task _reader = Task.CompletedTask;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(_replyTopic, MqttQualityOfService.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        _reader = Task.Run(ReadRepliesAsync, CancellationToken.None);
    }

    /// <summary>Sends requests until the ledger has none left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (ledger.TryTakeNext(out var number))
        {
            var id = $"{runId}-{number.ToString(CultureInfo.InvariantCulture)}";
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[id] = answered;
            var payload = $$"""{"id":"{{id}}","prompt":"Question {{number}}: what is the capital of France?","max_tokens":{{settings.MaxTokens}},"stream":false}""";
            ledger.RecordSent(id);
            try
            {
                await _client.PublishAsync(
                    new MqttMessage
                    {
                        Topic = requestTopic,
                        Payload = Encoding.UTF8.GetBytes(payload),
                        Qos = MqttQualityOfService.AtLeastOnce,
                        ResponseTopic = _replyTopic,
                        CorrelationData = Encoding.UTF8.GetBytes(id),
                    },
                    cancellationToken).WaitAsync(settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
                await answered.Task.WaitAsync(settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or BrokerConnectionException)
            {
                // Lost unless the answer still arrives; the ledger decides at the end.
            }
            finally
            {
                _waiting.TryRemove(id, out _);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
    }

    private async Task ReadRepliesAsync()
    {
        await foreach (var message in _client.Messages.ReadAllAsync().ConfigureAwait(false))
        {
            if (Final(message.Payload) is not (var id, var outcome))
            {
                continue;
            }

            if (ledger.RecordFinal(id, outcome) && _waiting.TryGetValue(id, out var answered))
            {
                answered.TrySetResult();
            }
        }
    }

    /// <summary>(id, "done" or the error code) for a final message; null for anything else.</summary>
    private static (string Id, string Outcome)? Final(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (!root.TryGetProperty("id", out var id) || id.GetString() is not { } text)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                return (text, error.TryGetProperty("code", out var code) ? code.GetString() ?? "error" : "error");
            }

            return root.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True ? (text, "done") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
