using Appliance.Tests.Http;
using Appliance.Tests.Mqtt;
using Appliance.Tests.MqttService;
using Appliance.TestSupport;
using System.Net;
using ReplyWriter = global::Appliance.OpenAiApi.ReplyWriter;
using System.Text;
using System.Text.Json;

namespace Appliance.Tests.OpenAiApi;

/// <summary>The OpenAI API's wire as curl and a plain HTTP client see it: SSE framing, /v1/completions, statuses and the error shape.</summary>
public sealed class OpenAiHttpTests
{
    private const string Hi = "\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    [Fact]
    public async Task Curl_sees_sse_data_lines_a_usage_chunk_and_done()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));

        var output = await CurlAsync(server, "/v1/chat/completions", "{" + Hi + ""","stream":true,"stream_options":{"include_usage":true}}""");

        var (headers, events) = SplitResponse(output);
        Assert.Contains("content-type: text/event-stream", headers, StringComparison.OrdinalIgnoreCase);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(choice => choice.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : ""));
        Assert.Equal("Hello, world!", text);
        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal((1, 4, 5), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));
        Assert.All(chunks[..^1], c => Assert.False(c.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task Curl_streams_a_completion_without_usage_unless_asked()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));

        var (_, events) = SplitResponse(await CurlAsync(server, "/v1/completions", """{"model":"scripted-model","prompt":"Hi","stream":true}"""));

        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.Equal("Hello, world!", string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task A_completion_answers_a_plain_prompt_as_one_user_turn()
    {
        var engine = new ScriptedEngine();
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));

        var (status, body) = await PostAsync(server, "/v1/completions", """{"model":"scripted-model","prompt":["Say hi"],"max_tokens":3,"temperature":0.2,"top_p":0.5,"seed":-1,"stop":"zz"}""");
        var request = await engine.NextStartedAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(("Hello, world", "length"), (choice.GetProperty("text").GetString(), choice.GetProperty("finish_reason").GetString()));
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal([("user", "Say hi")], request.Messages.Select(m => (m.Role, m.Content)));
        Assert.Equal((3, 0.2, 0.5, ulong.MaxValue), (request.MaxTokens, request.Sampling.Temperature!.Value, request.Sampling.TopP!.Value, request.Sampling.Seed!.Value));
        Assert.Equal(["zz"], request.Stop);
    }

    [Fact]
    public async Task Text_parts_developer_role_and_max_completion_tokens_reach_the_engine()
    {
        var engine = new ScriptedEngine();
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));

        var (status, body) = await PostAsync(server, "/v1/chat/completions", """
            {"model":"scripted-model:latest","n":1,"max_tokens":2,"max_completion_tokens":9,"user":"ignored","logprobs":false,"messages":[
              {"role":"developer","content":[{"type":"text","text":"Be"},{"type":"text","text":"brief."}]},
              {"role":"user","content":"Hi","name":"ann"}]}
            """);
        var request = await engine.NextStartedAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("scripted-model", body.GetProperty("model").GetString());
        Assert.Equal([("system", "Be\nbrief."), ("user", "Hi")], request.Messages.Select(m => (m.Role, m.Content)));
        Assert.Equal(9, request.MaxTokens);
    }

    [Fact]
    public async Task Without_max_tokens_the_reply_gets_the_room_left_capped_by_the_default()
    {
        var engine = new ScriptedEngine();
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine), limits => limits.DefaultMaxTokens = 3);

        var (status, body) = await PostAsync(server, "/v1/chat/completions", "{" + Hi + "}");
        var request = await engine.NextStartedAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(request.MaxTokens);
        Assert.Equal((3, true), (request.Limits.MaxNewTokens, request.Limits.FitToContext));
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_reply_cut_by_the_time_limit_finishes_with_length()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine), limits => limits.TimeoutSeconds = 0.05);

        var (status, body) = await PostAsync(server, "/v1/chat/completions", "{" + Hi + "}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(("length", "stop"), (ReplyWriter.FinishReason("timeout"), ReplyWriter.FinishReason("stop")));
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_in_openai_shape()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine), limits => limits.QueueDepth = 1);
        var running = PostAsync(server, "/v1/chat/completions", "{" + Hi + "}");
        await engine.NextStartedAsync();
        var queued = PostAsync(server, "/v1/chat/completions", "{" + Hi + "}");
        await WaitUntilAsync(() => server.Pipeline.QueueLength == 1);

        using var refused = await server.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Json("{" + Hi + ""","stream":true}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        var error = await ErrorOf(refused);
        Assert.Equal(("rate_limit_error", "busy"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        engine.Step(100);
        Assert.Equal(HttpStatusCode.OK, (await running.Within()).Status);
        Assert.Equal(HttpStatusCode.OK, (await queued.Within()).Status);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_cancels_its_request()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        engine.Step();
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative)) { Content = Json("{" + Hi + ",\"stream\":true}") })
        using (var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
            await engine.NextStartedAsync();
        }

        // No more steps: the next request starts only because leaving cancelled the first.
        var next = PostAsync(server, "/v1/chat/completions", "{" + Hi + "}");
        await engine.NextStartedAsync();
        engine.Step(100);
        Assert.Equal(HttpStatusCode.OK, (await next.Within()).Status);
    }

    [Fact]
    public async Task No_loaded_model_answers_503_and_an_empty_model_list()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader { Failure = new InvalidOperationException("no weights") });

        using var chat = await server.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Json("{" + Hi + "}"));
        var models = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/v1/models", UriKind.Relative))).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
        var error = await ErrorOf(chat);
        Assert.Equal(("server_error", "model_unavailable"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(("list", 0), (models.GetProperty("object").GetString(), models.GetProperty("data").GetArrayLength()));
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_413_too_large()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine { ContextLength = 8 }));

        using var refused = await server.Client.PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative),
            Json($$"""{"model":"scripted-model","max_tokens":4,"messages":[{"role":"user","content":"{{string.Join(' ', Enumerable.Repeat("word", 20))}}"}]}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("too_large", (await ErrorOf(refused)).GetProperty("code").GetString());
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpApiServer server, string path, string body)
    {
        using var response = await server.Client.PostAsync(new Uri(path, UriKind.Relative), Json(body));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static Task<string> CurlAsync(HttpApiServer server, string path, string body) =>
        Task.Run(() => ChildProcess.Run(
            "curl",
            ["-sN", "-i", "--max-time", "30", "-H", "Content-Type: application/json", "-d", body, new Uri(server.BaseAddress, path).ToString()],
            timeout: TimeSpan.FromSeconds(60)));

    /// <summary>The response's header block and its SSE events (each event's lines, split on the blank line that ends it).</summary>
    private static (string Headers, string[] Events) SplitResponse(string output)
    {
        var normalized = output.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        var body = normalized[(split + 2)..];
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        return (normalized[..split], body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(MqttTestTimeouts.Wait);
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }
}
