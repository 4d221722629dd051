using Appliance.Contract;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Pipeline;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Appliance.Tests.Mqtt;
using Appliance.Tests.MqttService;
using Appliance.Inference.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Tests.Http;

/// <summary>The HTTP APIs' way into the shared request pipeline, with no HTTP in between.</summary>
public sealed class PipelineClientTests : IAsyncDisposable
{
    private readonly ApplianceMetrics _metrics = new();
    private RequestPipeline? _pipeline;
    private PipelineService? _service;

    [Fact]
    public async Task A_streamed_request_yields_its_deltas_then_one_final_reply()
    {
        var client = await StartAsync(new ScriptedEngine());

        var replies = await CollectAsync(client.AskAsync(Request(stream: true), "http:127.0.0.1", CancellationToken.None));

        Assert.Equal(["Hello, world!"], [string.Concat(replies.OfType<HttpReplyDelta>().Select(delta => delta.Text))]);
        var final = Assert.IsType<HttpReplyFinal>(replies[^1]);
        Assert.Equal("Hello, world!", final.Reply.Text);
        Assert.Equal("stop", final.FinishReason);
        Assert.True(client.TryGetModel(out var name, out var context, out _));
        Assert.Equal(("scripted-model", 2048), (name, context));
    }

    [Fact]
    public async Task A_client_that_leaves_while_generating_cancels_its_request_and_the_loop_still_ends()
    {
        var engine = new ScriptedEngine { Stepped = true };
        var client = await StartAsync(engine);
        using var gone = new CancellationTokenSource();

        var asking = CollectAsync(client.AskAsync(Request(stream: true), "http:127.0.0.1", gone.Token));
        await engine.NextStartedAsync();
        await gone.CancelAsync();

        var error = Assert.IsType<HttpReplyError>((await asking.Within())[^1]);
        Assert.Equal((ErrorCodes.Cancelled, PipelineClient.DisconnectedReason), (error.Code, error.Message));
    }

    [Fact]
    public async Task A_queued_request_whose_client_leaves_is_taken_out_of_the_queue()
    {
        var engine = new ScriptedEngine { Stepped = true };
        var client = await StartAsync(engine, queueDepth: 2);
        var first = CollectAsync(client.AskAsync(Request(stream: false), "http:a", CancellationToken.None));
        await engine.NextStartedAsync();
        using var gone = new CancellationTokenSource();
        var second = CollectAsync(client.AskAsync(Request(stream: false), "http:b", gone.Token));
        Assert.Equal(1, _pipeline!.QueueLength);

        await gone.CancelAsync();

        Assert.IsType<HttpReplyError>(Assert.Single(await second.Within()));
        Assert.Equal(0, _pipeline.QueueLength);
        engine.Step(100);
        Assert.IsType<HttpReplyFinal>((await first.Within())[^1]);
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task A_full_queue_answers_busy_at_once()
    {
        var engine = new ScriptedEngine { Stepped = true };
        var client = await StartAsync(engine, queueDepth: 1);
        _ = CollectAsync(client.AskAsync(Request(stream: false), "http:a", CancellationToken.None));
        await engine.NextStartedAsync();
        _ = CollectAsync(client.AskAsync(Request(stream: false), "http:b", CancellationToken.None));

        var refused = Assert.IsType<HttpReplyError>(Assert.Single(await CollectAsync(client.AskAsync(Request(stream: false), "http:c", CancellationToken.None)).Within()));

        Assert.Equal(ErrorCodes.Busy, refused.Code);
        Assert.Equal(429, HttpErrorStatus.Of(refused.Code));
        engine.Step(100);
    }

    [Fact]
    public async Task The_test_server_serves_mapped_endpoints_on_loopback_over_the_pipeline()
    {
        await using var server = await HttpApiServer.StartAsync(
            new ScriptedEngineLoader(new ScriptedEngine()),
            (routes, client) => routes.MapGet("/model", () => client.TryGetModel(out var name, out _, out _) ? name : "none"));

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.Equal("scripted-model", await server.Client.GetStringAsync(new Uri("/model", UriKind.Relative)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }

        _pipeline?.Dispose();
        _metrics.Dispose();
    }

    private static ApplianceRequest Request(bool stream) =>
        new() { Engine = new EngineRequest { Messages = [new ChatMessage("user", "hi")], MaxTokens = 16 }, Stream = stream };

    private static async Task<List<HttpReplyEvent>> CollectAsync(IAsyncEnumerable<HttpReplyEvent> replies)
    {
        var all = new List<HttpReplyEvent>();
        await foreach (var reply in replies)
        {
            all.Add(reply);
        }

        return all;
    }

    private async Task<PipelineClient> StartAsync(ScriptedEngine engine, int queueDepth = 8)
    {
        var board = new ServiceStatusBoard();
        _pipeline = new RequestPipeline(
            new RequestLimits { QueueDepth = queueDepth, QueueDepthPerReplyTopic = queueDepth },
            new EngineOptions { ModelPath = "/models/test" },
            new ScriptedEngineLoader(engine),
            board,
            new WorkerLiveness(TimeProvider.System),
            _metrics,
            TimeProvider.System,
            NullLogger.Instance);
        _service = new PipelineService(_pipeline);
        await _service.StartAsync(CancellationToken.None);
        await _service.ExecuteTask!.Within();
        return new PipelineClient(_pipeline);
    }
}
