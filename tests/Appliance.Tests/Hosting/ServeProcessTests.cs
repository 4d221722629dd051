using Appliance.Mqtt;
using Appliance.TestSupport;
using Appliance.Tests.Cli;
using Appliance.Tests.Mqtt;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Appliance.Tests.Hosting;

/// <summary>
/// The built `appliance serve` as systemd runs it: a real process with NOTIFY_SOCKET and WATCHDOG_USEC, a real
/// Mosquitto, a synthetic-weight model through the real engine, and SIGTERM to stop it.
/// </summary>
public sealed class ServeProcessTests(PlainBrokerFixture brokerFixture, TinyModelFixture model)
    : IClassFixture<PlainBrokerFixture>, IClassFixture<TinyModelFixture>, IDisposable
{
    /// <summary>Shutdown's own budget (ShutdownTimeoutSeconds, default 2 s) plus the runtime's start-to-exit overhead.</summary>
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(4);

    private readonly MosquittoBroker _broker = brokerFixture.Broker;
    private readonly TempDirectory _directory = new("appliance-serve-process");
    private readonly NotifySocketListener _systemd = NotifySocketListener.AtPath();

    [Fact]
    public async Task Sigterm_ends_the_running_request_publishes_offline_and_exits_0()
    {
        const string deviceId = "sigterm-test";
        const string baseTopic = $"appliance/{deviceId}";
        var config = _directory.Combine("appliance.json");
        await File.WriteAllTextAsync(config, "{}");
        using var serve = ServeProcess.Start(
            ["--config", config, "--model", model.ModelPath, "--broker", $"mqtt://127.0.0.1:{_broker.Port}", "--device-id", deviceId, "--no-discovery"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = _systemd.Address, ["WATCHDOG_USEC"] = "1000000", ["JOURNAL_STREAM"] = "8:1234" });

        var startup = await WithOutputOnFailure(serve, _systemd.ReceiveUntilAsync("READY=1"));
        Assert.Equal("STATUS=starting", startup[0]);
        Assert.Contains("STATUS=ready", startup[^1], StringComparison.Ordinal);

        await using var client = TestClients.Create(TestClients.Options(_broker.Port));
        await client.ConnectAsync().Within();
        await client.SubscribeAsync($"{baseTopic}/response/#").Within();
        await client.PublishAsync(new MqttMessage
        {
            Topic = $"{baseTopic}/request",
            Payload = Encoding.UTF8.GetBytes("""{"id":"r1","prompt":"Tell me a story.","max_tokens":48,"stream":true}"""),
            Qos = MqttQualityOfService.AtLeastOnce,
        }).Within();
        var replies = new List<JsonElement> { await NextReplyAsync(client) };

        var stopwatch = Stopwatch.StartNew();
        serve.Terminate();
        var exitCode = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
        stopwatch.Stop();

        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}\n{serve.Output}");
        Assert.True(stopwatch.Elapsed < ExitLimit, $"SIGTERM to exit took {stopwatch.Elapsed.TotalSeconds:F2} s\n{serve.Output}");

        // Every message up to the final one arrived, in order; the final one ends the request (done, or an error).
        for (var i = 0; i < 200 && !IsFinal(replies[^1]); i++)
        {
            replies.Add(await NextReplyAsync(client));
        }

        // The request was streaming when SIGTERM came: it either finished or was cancelled, nothing else.
        var final = replies[^1];
        Assert.True(IsFinal(final), string.Join("\n", replies));
        Assert.Equal("r1", final.GetProperty("id").GetString());
        Assert.True(
            final.TryGetProperty("done", out _) || final.GetProperty("error").GetProperty("code").GetString() == "cancelled",
            final.ToString());
        Assert.Equal(0, replies[0].GetProperty("seq").GetInt32());

        // systemd heard the stop, then the offline state.
        var shutdown = await _systemd.ReceiveUntilAsync(IsOfflineStatus, "STATUS=offline");
        var stopping = shutdown.FindIndex(message => message == "STOPPING=1");
        Assert.True(stopping >= 0, string.Join(" | ", shutdown));
        Assert.All(shutdown.Take(stopping), message => Assert.DoesNotContain("offline", message, StringComparison.Ordinal));

        // The retained status a newcomer sees is offline.
        await using var observer = TestClients.Create(TestClients.Options(_broker.Port));
        await observer.ConnectAsync().Within();
        await observer.SubscribeAsync($"{baseTopic}/status").Within();
        var status = await observer.NextMessageAsync();
        Assert.True(status.Retain);
        using var statusJson = JsonDocument.Parse(status.Payload);
        Assert.Equal("offline", statusJson.RootElement.GetProperty("state").GetString());

        // Under the journal every log line carries a syslog priority.
        var lines = serve.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches("^<[0-7]>", line));
    }

    [Fact]
    public async Task Sigterm_while_idle_publishes_offline_and_exits_0()
    {
        const string deviceId = "sigterm-idle";
        var config = _directory.Combine("idle.json");
        await File.WriteAllTextAsync(config, $$"""{ "Engine": { "ModelPath": "{{model.ModelPath}}" }, "HomeAssistant": { "Enabled": false } }""");
        using var serve = ServeProcess.Start(
            ["--config", config, "--broker", $"mqtt://127.0.0.1:{_broker.Port}", "--device-id", deviceId],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = _systemd.Address });
        await WithOutputOnFailure(serve, _systemd.ReceiveUntilAsync("READY=1"));

        serve.Terminate();
        var exitCode = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}\n{serve.Output}");
        var shutdown = await _systemd.ReceiveUntilAsync(IsOfflineStatus, "STATUS=offline");
        Assert.Equal("STOPPING=1", shutdown[0]);
    }

    [Fact]
    public async Task Serve_answers_health_metrics_and_the_openai_api_over_http_on_the_http_urls_flag_s_port()
    {
        var config = _directory.Combine("http.json");
        await File.WriteAllTextAsync(config, $$"""{ "Engine": { "ModelPath": "{{model.ModelPath}}" }, "HomeAssistant": { "Enabled": false } }""");
        var port = FreeTcpPort();
        using var serve = ServeProcess.Start(
            ["--config", config, "--broker", $"mqtt://127.0.0.1:{_broker.Port}", "--device-id", "http-test", "--http-urls", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = _systemd.Address });
        await WithOutputOnFailure(serve, _systemd.ReceiveUntilAsync("READY=1"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        var health = await http.GetStringAsync(new Uri("/health", UriKind.Relative));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var models = await http.GetStringAsync(new Uri("/v1/models", UriKind.Relative));
        using var chat = await http.PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent("""{"model":"model","messages":[{"role":"user","content":"Hi"}],"max_tokens":4,"temperature":0}""", System.Text.Encoding.UTF8, "application/json"));
        var answer = await chat.Content.ReadAsStringAsync();
        serve.Terminate();
        var exitCode = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));

        using var json = JsonDocument.Parse(health);
        Assert.Equal("ready", json.RootElement.GetProperty("status").GetString());
        Assert.Contains("# TYPE appliance_model_load_time_seconds ", metrics, StringComparison.Ordinal);
        Assert.Equal("model", JsonDocument.Parse(models).RootElement.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.True(chat.IsSuccessStatusCode, answer);
        Assert.Equal(4, JsonDocument.Parse(answer).RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}\n{serve.Output}");
    }

    public void Dispose()
    {
        _systemd.Dispose();
        _directory.Dispose();
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsOfflineStatus(string line) => line.StartsWith("STATUS=offline", StringComparison.Ordinal);

    private static bool IsFinal(JsonElement reply) =>
        (reply.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True) || reply.TryGetProperty("error", out _);

    private static async Task<JsonElement> NextReplyAsync(BrokerConnection client)
    {
        var message = await client.NextMessageAsync();
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.Clone();
    }

    /// <summary>Awaits <paramref name="task"/>, failing at once with the service's output if the service exits or the wait times out first.</summary>
    private static async Task<T> WithOutputOnFailure<T>(ServeProcess serve, Task<T> task)
    {
        if (await Task.WhenAny(task, serve.Exited) != task)
        {
            await serve.WaitForExitAsync(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException($"The service exited before it was ready. Its output:\n{serve.Output}");
        }

        try
        {
            return await task;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Service output:\n{serve.Output}", ex);
        }
    }
}
