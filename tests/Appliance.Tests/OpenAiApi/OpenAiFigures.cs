using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Tests.Cli;
using Appliance.Tests.Mqtt;
using Appliance.Tests.MqttService;
using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using TemplateMessage = Appliance.Inference.Templates.ChatMessage;

namespace Appliance.Tests.OpenAiApi;

/// <summary>
/// Prints what the OpenAI door costs (no timing assertions: the machine is shared): time to first token and total for
/// a 16-token answer on the tiny model through streamed /v1/chat/completions vs the engine called directly, and how
/// fast a full queue is answered with 429s.
/// </summary>
public sealed class OpenAiFigures(TinyModelFixture model, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    private const int Runs = 20;
    private const string Question = "What is MQTT?";

    [Fact]
    public async Task Prints_the_latency_http_adds_to_the_engine_for_a_16_token_answer()
    {
        await using var server = await OpenAiTestServer.StartAsync(new OnnxGenerationEngineLoader(), modelPath: model.ModelPath);
        using var engine = await new OnnxGenerationEngineLoader().LoadAsync(new EngineOptions { ModelPath = model.ModelPath, Threads = 1 }, CancellationToken.None);
        var request = new EngineRequest { Messages = [new TemplateMessage("user", Question)], MaxTokens = 16, Sampling = new SamplingRequest { Temperature = 0 } };
        var body = $$"""{"model":"model","stream":true,"max_tokens":16,"temperature":0,"messages":[{"role":"user","content":"{{Question}}"}]}""";
        var direct = new List<(double Ttft, double Total)>();
        var http = new List<(double Ttft, double Total)>();
        var tokens = 0;

        for (var run = -3; run < Runs; run++)
        {
            var (engineRun, generated) = await DirectAsync(engine, request);
            var httpRun = await StreamedAsync(server.Client, body);
            tokens = generated;
            if (run >= 0)
            {
                direct.Add(engineRun);
                http.Add(httpRun);
            }
        }

        output.WriteLine($"{tokens}-token answer, median of {Runs} runs after 3 warm-up runs each (interleaved)");
        output.WriteLine($"engine direct:            TTFT {Median(direct, r => r.Ttft):F2} ms, total {Median(direct, r => r.Total):F2} ms");
        output.WriteLine($"/v1/chat/completions SSE: TTFT {Median(http, r => r.Ttft):F2} ms, total {Median(http, r => r.Total):F2} ms");
        output.WriteLine($"added by HTTP:            TTFT {Median(http, r => r.Ttft) - Median(direct, r => r.Ttft):F2} ms, total {Median(http, r => r.Total) - Median(direct, r => r.Total):F2} ms");
        Assert.Equal(16, tokens);
    }

    [Fact]
    public async Task Prints_how_many_429s_a_full_queue_answers_per_second()
    {
        const int Clients = 4;
        const int PerClient = 500;
        var engine = new ScriptedEngine { Stepped = true };
        await using var server = await OpenAiTestServer.StartAsync(
            new ScriptedEngineLoader(engine),
            limits => (limits.QueueDepth, limits.RatePerReplyTopic, limits.BurstPerReplyTopic) = (1, 1_000_000, 1_000_000));
        const string Body = """{"model":"scripted-model","messages":[{"role":"user","content":"Hi"}]}""";
        var running = server.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), OpenAiHttpTests.Json(Body));
        await engine.NextStartedAsync();
        var queued = server.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), OpenAiHttpTests.Json(Body));
        using (var limit = new CancellationTokenSource(MqttTestTimeouts.Wait))
        {
            while (server.Pipeline.QueueLength < 1)
            {
                await Task.Delay(5, limit.Token);
            }
        }

        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            var seen = new List<HttpStatusCode>(PerClient);
            for (var i = 0; i < PerClient; i++)
            {
                using var response = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), OpenAiHttpTests.Json(Body));
                seen.Add(response.StatusCode);
            }

            return seen;
        })));
        var elapsed = clock.Elapsed;
        engine.Step(100);
        using var done = await running.Within();
        using var after = await queued.Within();

        var all = statuses.SelectMany(s => s).ToList();
        output.WriteLine($"{all.Count} requests from {Clients} keep-alive clients against a full queue: {all.Count / elapsed.TotalSeconds:F0} 429 answers/s ({elapsed.TotalMilliseconds / all.Count * Clients:F3} ms each per client)");
        Assert.All(all, status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
    }

    private static async Task<((double Ttft, double Total) Run, int Tokens)> DirectAsync(IGenerationEngine engine, EngineRequest request)
    {
        var clock = Stopwatch.StartNew();
        double? first = null;
        var reply = await engine.GenerateAsync(request, _ => first ??= clock.Elapsed.TotalMilliseconds, CancellationToken.None);
        return ((first ?? double.NaN, clock.Elapsed.TotalMilliseconds), reply.Usage.CompletionTokens);
    }

    /// <summary>From sending the request to the first chunk with content, and to data: [DONE].</summary>
    private static async Task<(double Ttft, double Total)> StreamedAsync(HttpClient client, string body)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative)) { Content = OpenAiHttpTests.Json(body) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double? first = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (first is null && line.Contains("\"content\"", StringComparison.Ordinal))
            {
                first = clock.Elapsed.TotalMilliseconds;
            }

            if (line == "data: [DONE]")
            {
                return (first ?? double.NaN, clock.Elapsed.TotalMilliseconds);
            }
        }

        throw new InvalidOperationException("the stream ended without data: [DONE]");
    }

    private static double Median<T>(List<T> runs, Func<T, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
