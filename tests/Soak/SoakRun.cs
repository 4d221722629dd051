using System.Text.Json;
using Appliance.Mqtt;
using Appliance.Tests.Hosting;
using Appliance.Tests.Mqtt;
using Appliance.TestSupport;

namespace Appliance.Soak;

/// <summary>
/// One soak run: a Mosquitto on a free loopback port, the built `appliance serve` on the given model, several clients
/// sending the requests, and the broker killed and restarted once halfway through.
/// </summary>
internal sealed class SoakRun(SoakSettings settings, TextWriter log)
{
    private const string DeviceId = "soak";
    private static readonly TimeSpan StartupLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StragglerWait = TimeSpan.FromSeconds(5);

    public async Task<SoakReport> RunAsync(CancellationToken cancellationToken)
    {
        // Persistent, as the README advises for a broker that may restart: sessions and queued messages survive the kill.
        using var broker = MosquittoBroker.StartPlain(persistence: true);
        using var directory = new TempDirectory("appliance-soak");
        var config = directory.Combine("appliance.json");
        await File.WriteAllTextAsync(config, "{}", cancellationToken).ConfigureAwait(false);
        using var serve = ServeProcess.Start(
        [
            "--config", config, "--model", settings.ModelPath, "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--device-id", DeviceId,
            "--no-discovery", "--queue-depth", $"{settings.Clients * 2}", "--max-tokens-cap", $"{Math.Max(settings.MaxTokens, 1)}",
            "--max-tokens", $"{settings.MaxTokens}",

            // Each soak client waits for its answer before the next request: the fairness rate limit is not what is measured.
            "--rate-per-reply-topic", "100000", "--burst-per-reply-topic", "100000",
        ], new Dictionary<string, string>());

        var ledger = new SoakLedger(settings.Requests);
        var runId = Guid.NewGuid().ToString("N")[..8];
        await using var monitor = new StatusMonitor(broker.Port, $"appliance/{DeviceId}/status", ledger, runId);
        await monitor.StartAsync(cancellationToken).ConfigureAwait(false);
        using (var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            startup.CancelAfter(StartupLimit);
            try
            {
                await monitor.WaitForReadyAfterAsync(TimeSpan.Zero, startup.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The service was not ready within {StartupLimit.TotalMinutes} minutes:\n{serve.Output}");
            }
        }

        log.WriteLine($"soak: service ready; {settings.Clients} clients sending {settings.Requests} requests");
        var clients = Enumerable.Range(0, settings.Clients)
            .Select(index => new SoakClient(index, broker.Port, $"appliance/{DeviceId}/request", settings, ledger, runId))
            .ToList();
        try
        {
            foreach (var client in clients)
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            var started = ledger.Now;
            var sending = Task.WhenAll(clients.Select(client => client.RunAsync(cancellationToken)));
            var restart = RestartBrokerHalfwayAsync(broker, ledger, monitor, sending, cancellationToken);
            await sending.ConfigureAwait(false);
            var recovery = await restart.ConfigureAwait(false);
            var sendingTime = ledger.Now - started;

            // Answers may still be on their way for requests whose wait timed out.
            var deadline = ledger.Now + StragglerWait;
            while (ledger.Answered < ledger.Sent && ledger.Now < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            serve.Terminate();
            var exitCode = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return new SoakReport(settings, ledger, recovery, sendingTime, exitCode);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<BrokerRecovery?> RestartBrokerHalfwayAsync(MosquittoBroker broker, SoakLedger ledger, StatusMonitor monitor, Task sending, CancellationToken cancellationToken)
    {
        while (ledger.Sent < settings.Requests / 2)
        {
            if (sending.IsCompleted)
            {
                return null;
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        var sentBefore = ledger.Sent;
        broker.Kill();
        var killedAt = ledger.Now;
        broker.Start();
        var backAt = ledger.Now;
        log.WriteLine($"soak: broker killed after {sentBefore} requests and restarted ({(backAt - killedAt).TotalMilliseconds:F0} ms down)");
        var readyAt = await monitor.WaitForReadyAfterAsync(backAt, cancellationToken).ConfigureAwait(false);

        // The first answer to a request sent after the broker came back.
        TimeSpan? firstAnswer = null;
        while (firstAnswer is null && !sending.IsCompleted)
        {
            firstAnswer = ledger.FirstAnswerToRequestSentAfter(backAt);
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        firstAnswer ??= ledger.FirstAnswerToRequestSentAfter(backAt);
        return new BrokerRecovery(sentBefore, killedAt, backAt - killedAt, readyAt - backAt, firstAnswer - backAt);
    }

    /// <summary>Watches the retained status topic and notes when the service says "ready".</summary>
    private sealed class StatusMonitor(int brokerPort, string statusTopic, SoakLedger ledger, string runId) : IAsyncDisposable
    {
        private readonly BrokerConnection _client = new(new BrokerConnectionOptions
        {
            Host = "127.0.0.1",
            Port = brokerPort,
            ClientId = $"soak-{runId}-monitor",
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaximumDelay = TimeSpan.FromMilliseconds(250) },
        });

        private readonly Lock _gate = new();
        private readonly List<TimeSpan> _readyTimes = [];
        private Task _reader = Task.CompletedTask;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await _client.SubscribeAsync(statusTopic, MqttQualityOfService.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            _reader = Task.Run(ReadAsync, CancellationToken.None);
        }

        /// <summary>The first time at or after <paramref name="since"/> the status said ready.</summary>
        public async Task<TimeSpan> WaitForReadyAfterAsync(TimeSpan since, CancellationToken cancellationToken)
        {
            while (true)
            {
                lock (_gate)
                {
                    var ready = _readyTimes.Where(time => time >= since).DefaultIfEmpty(TimeSpan.MinValue).Min();
                    if (ready != TimeSpan.MinValue)
                    {
                        return ready;
                    }
                }

                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _client.DisposeAsync().ConfigureAwait(false);
            await _reader.ConfigureAwait(false);
        }

        private async Task ReadAsync()
        {
            await foreach (var message in _client.Messages.ReadAllAsync().ConfigureAwait(false))
            {
                using var json = JsonDocument.Parse(message.Payload);
                if (json.RootElement.TryGetProperty("state", out var state) && state.GetString() is "ready" or "busy")
                {
                    lock (_gate)
                    {
                        _readyTimes.Add(ledger.Now);
                    }
                }
            }
        }
    }
}

/// <summary>The broker restart: after how many requests, how long it was down, and how long until the service was back.</summary>
internal sealed record BrokerRecovery(int SentBefore, TimeSpan KilledAt, TimeSpan Downtime, TimeSpan StatusReady, TimeSpan? FirstAnswer);
