using Appliance.Contract;
using Appliance.Inference.Structured;
using Appliance.Tests.Http;
using Appliance.Tests.Mqtt;
using Appliance.Tests.MqttService;
using Appliance.TestSupport;
using System.Text.Json;

namespace Appliance.Tests.OllamaApi;

/// <summary>
/// The Ollama API's wire as Home Assistant's Ollama integration (through the ollama Python client) and curl use it:
/// the request shapes are those its conversation entity sends, the replies are read the way it reads them.
/// </summary>
public sealed class OllamaHttpTests
{
    /// <summary>What Home Assistant's Assist sends: its instructions and every exposed entity in one long system prompt.</summary>
    private static readonly string SystemPrompt = "You are a voice assistant for Home Assistant.\nAnswer questions about the world truthfully.\n"
        + "An overview of the areas and the devices in this smart home:\n"
        + string.Concat(Enumerable.Range(1, 60).Select(i => $"- names: Light {i}\n  domain: light\n  state: 'off'\n  areas: Room {i % 7}\n"));

    /// <summary>Two of Home Assistant's intent tools as its integration formats them (OpenAPI schemas from its voluptuous ones).</summary>
    private const string Tools = """
        [{"type":"function","function":{"name":"HassTurnOn","parameters":{"type":"object","properties":{"name":{"type":"string"},"area":{"type":"string"},"domain":{"type":"array","items":{"type":"string","enum":["light","switch","fan"]}}},"required":[]},"description":"Turns on/opens/presses a device or entity"}},
         {"type":"function","function":{"name":"GetLiveContext","parameters":{"type":"object","properties":{}},"description":"Provides real-time information about the CURRENT state of devices"}}]
        """;

    [Fact]
    public async Task Home_assistants_model_listing_and_running_models_parse_as_its_client_reads_them()
    {
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));

        var tags = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/tags", UriKind.Relative))).RootElement;
        var ps = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/ps", UriKind.Relative))).RootElement;
        var version = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/version", UriKind.Relative))).RootElement;

        var model = Assert.Single(tags.GetProperty("models").EnumerateArray());
        Assert.Equal("scripted-model:latest", model.GetProperty("model").GetString());
        Assert.Equal("scripted-model:latest", model.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, model.GetProperty("details").ValueKind);
        Assert.Equal("scripted-model:latest", Assert.Single(ps.GetProperty("models").EnumerateArray()).GetProperty("model").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", version.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Home_assistants_streamed_chat_with_a_long_system_prompt_tools_keep_alive_and_num_ctx_is_answered_in_ndjson()
    {
        var engine = new ScriptedEngine();
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "scripted-model:latest",
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "system", ["content"] = SystemPrompt }, new Dictionary<string, string> { ["role"] = "user", ["content"] = "What time is it?" } },
            ["tools"] = JsonDocument.Parse(Tools).RootElement,
            ["stream"] = true,
            ["keep_alive"] = -1,
            ["options"] = new Dictionary<string, int> { ["num_ctx"] = 2048 },
        });

        var (status, lines) = await server.PostLinesAsync("/api/chat", body);

        Assert.Equal(200, status);
        var replies = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(replies[..^1], reply => Assert.False(reply.GetProperty("done").GetBoolean()));
        Assert.Equal("Hello, world!", string.Concat(replies.Select(reply => reply.GetProperty("message").GetProperty("content").GetString())));
        var done = replies[^1];
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal("stop", done.GetProperty("done_reason").GetString());
        Assert.Equal("assistant", done.GetProperty("message").GetProperty("role").GetString());
        foreach (var field in new[] { "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration" })
        {
            Assert.True(done.GetProperty(field).GetInt64() >= 0, field);
        }

        var asked = await engine.NextStartedAsync();
        Assert.Equal(SystemPrompt, asked.Messages[0].Content);
        Assert.Equal(["HassTurnOn", "GetLiveContext"], asked.Tools!.Definitions.Select(tool => tool.Name));
        Assert.Null(asked.MaxTokens);
    }

    [Fact]
    public async Task Home_assistants_tool_round_trip_returns_object_arguments_and_takes_the_result_back()
    {
        var engine = new ScriptedEngine { ToolCalls = [new ToolCall("HassTurnOn", """{"name":"Light 3","domain":["light"]}""")] };
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));
        const string Asked = """{"role":"system","content":"You control the house."},{"role":"user","content":"Turn on light 3"}""";

        var (_, lines) = await server.PostLinesAsync("/api/chat", $$$"""{"model":"scripted-model:latest","messages":[{{{Asked}}}],"tools":{{{Tools}}},"stream":true,"keep_alive":"300s","options":{"num_ctx":2048}}""");
        var call = lines.Select(line => JsonDocument.Parse(line).RootElement)
            .Where(reply => reply.GetProperty("message").TryGetProperty("tool_calls", out _))
            .Select(reply => Assert.Single(reply.GetProperty("message").GetProperty("tool_calls").EnumerateArray()))
            .Single();
        Assert.Equal("HassTurnOn", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, call.GetProperty("function").GetProperty("arguments").ValueKind);
        Assert.Equal("Light 3", call.GetProperty("function").GetProperty("arguments").GetProperty("name").GetString());

        // The follow-up as the integration sends it: the assistant's call (arguments an object, thinking null) and the tool's result.
        var followUp = $$$$"""
            {"model":"scripted-model:latest","messages":[{{{{Asked}}}},
              {"role":"assistant","content":"","thinking":null,"tool_calls":[{"function":{"name":"HassTurnOn","arguments":{"name":"Light 3","domain":["light"]}}}]},
              {"role":"tool","content":"{\"data\":{\"success\":[{\"name\":\"Light 3\"}]},\"error\":null}"}],
             "tools":{{{{Tools}}}},"stream":true,"keep_alive":"300s","options":{"num_ctx":2048},"think":null,"format":null}
            """;
        var (status, answer) = await server.PostLinesAsync("/api/chat", followUp);

        Assert.Equal(200, status);
        Assert.Equal("Hello, world!", string.Concat(answer.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("message").GetProperty("content").GetString())));
        await engine.NextStartedAsync();
        var second = await engine.NextStartedAsync();
        Assert.Equal(["system", "user", "assistant", "tool"], second.Messages.Select(message => message.Role));
        Assert.Equal("""{"name":"Light 3","domain":["light"]}""", Assert.Single(second.Messages[2].ToolCalls).ArgumentsJson);
    }

    [Fact]
    public async Task A_structured_answer_for_home_assistants_ai_task_takes_the_schema_as_format()
    {
        var engine = new ScriptedEngine();
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));

        var (status, lines) = await server.PostLinesAsync("/api/chat", """{"model":"scripted-model","messages":[{"role":"user","content":"Name a colour"}],"stream":false,"format":{"type":"object","properties":{"colour":{"type":"string"}},"required":["colour"]}}""");

        Assert.Equal(200, status);
        var reply = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.True(reply.GetProperty("done").GetBoolean());
        Assert.Equal("Hello, world!", reply.GetProperty("message").GetProperty("content").GetString());
        Assert.NotNull((await engine.NextStartedAsync()).ResponseFormat);
    }

    [Fact]
    public async Task Curl_sees_one_json_object_per_line_and_generate_puts_the_text_in_response()
    {
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));

        // curl -d sends a form Content-Type, as Ollama's own examples do: the body is read as JSON all the same.
        var output = await Task.Run(() => ChildProcess.Run(
            "curl", ["-sN", "-i", "--max-time", "30", "-d", """{"model":"scripted-model","prompt":"Hi","options":{"num_predict":8}}""", new Uri(server.BaseAddress, "/api/generate").ToString()],
            timeout: TimeSpan.FromSeconds(60)));

        var normalized = output.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/x-ndjson", normalized[..split], StringComparison.OrdinalIgnoreCase);
        var body = normalized[(split + 2)..];
        Assert.EndsWith("}\n", body, StringComparison.Ordinal);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.True(lines.Count >= 2);
        Assert.Equal("Hello, world!", string.Concat(lines.Select(line => line.GetProperty("response").GetString())));
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Refusals_are_ollama_errors_with_the_statuses_every_door_gives_them()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine), limits => (limits.QueueDepth, limits.QueueDepthPerReplyTopic) = (1, 1));
        const string Chat = """{"model":"scripted-model","messages":[{"role":"user","content":"Hi"}],"stream":false}""";
        var running = server.PostLinesAsync("/api/chat", Chat);
        await engine.NextStartedAsync();
        var queued = server.PostLinesAsync("/api/chat", Chat);
        await WaitForQueueAsync(server, 1);

        using var busy = await server.Client.PostAsync(new Uri("/api/chat", UriKind.Relative), new StringContent(Chat));
        var (tooLong, _) = await server.PostLinesAsync("/api/chat", """{"model":"scripted-model","messages":[{"role":"user","content":"Hi"}],"options":{"num_ctx":4096}}""");
        var (images, _) = await server.PostLinesAsync("/api/chat", """{"model":"scripted-model","messages":[{"role":"user","content":"Hi","images":["aGk="]}]}""");
        engine.Step(100);

        Assert.Equal(429, (int)busy.StatusCode);
        Assert.Equal("1", busy.Headers.RetryAfter?.ToString());
        Assert.Contains("already waiting", JsonDocument.Parse(await busy.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, tooLong);
        Assert.Equal(400, images);
        Assert.Equal(200, (await running.Within()).Status);
        Assert.Equal(200, (await queued.Within()).Status);
    }

    [Fact]
    public async Task Without_a_model_every_generation_is_503_and_the_lists_are_empty()
    {
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader { Failure = new InvalidDataException("broken model") });

        var (status, lines) = await server.PostLinesAsync("/api/generate", """{"model":"scripted-model","prompt":"Hi"}""");
        var tags = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/tags", UriKind.Relative))).RootElement;

        Assert.Equal(503, status);
        Assert.Contains("broken model", JsonDocument.Parse(Assert.Single(lines)).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(tags.GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task Num_predict_minus_one_takes_the_room_left_and_a_cut_reply_says_length()
    {
        var engine = new ScriptedEngine();
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));

        var (_, unlimited) = await server.PostLinesAsync("/api/generate", """{"model":"scripted-model","prompt":"Hi","stream":false,"options":{"num_predict":-1}}""");
        var (_, cut) = await server.PostLinesAsync("/api/generate", """{"model":"scripted-model","prompt":"Hi","stream":false,"options":{"num_predict":2}}""");

        Assert.Null((await engine.NextStartedAsync()).MaxTokens);
        Assert.Equal(2, (await engine.NextStartedAsync()).MaxTokens);
        Assert.Equal("stop", JsonDocument.Parse(Assert.Single(unlimited)).RootElement.GetProperty("done_reason").GetString());
        Assert.Equal("length", JsonDocument.Parse(Assert.Single(cut)).RootElement.GetProperty("done_reason").GetString());
        Assert.Equal("length", Appliance.OllamaApi.OllamaReplyWriter.DoneReason("timeout"));
    }

    private static async Task WaitForQueueAsync(HttpApiServer server, int length)
    {
        using var limit = new CancellationTokenSource(MqttTestTimeouts.Wait);
        while (server.Pipeline.QueueLength < length)
        {
            await Task.Delay(5, limit.Token);
        }
    }
}
