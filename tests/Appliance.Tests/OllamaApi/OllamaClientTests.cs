using Appliance.Inference.Structured;
using Appliance.Tests.Http;
using Appliance.Tests.MqttService;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using System.Text.Json;
using AI = Microsoft.Extensions.AI;

namespace Appliance.Tests.OllamaApi;

/// <summary>OllamaSharp, a client nobody here wrote, against the appliance's Ollama API on loopback (scripted engine).</summary>
public sealed class OllamaClientTests
{
    [Fact]
    public async Task The_client_finds_the_server_its_version_and_the_one_model_installed_and_loaded()
    {
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));
        using var ollama = server.Ollama();

        Assert.True(await ollama.IsRunningAsync());
        Assert.NotNull(await ollama.GetVersionAsync());
        Assert.Equal("scripted-model:latest", Assert.Single(await ollama.ListLocalModelsAsync()).Name);
        Assert.Equal("scripted-model:latest", Assert.Single(await ollama.ListRunningModelsAsync()).Name);
        var shown = await ollama.ShowModelAsync(new ShowModelRequest { Model = "scripted-model" });
        Assert.Contains("tools", shown.Capabilities ?? []);
    }

    [Fact]
    public async Task A_streamed_chat_arrives_in_pieces_and_ends_with_the_counts_and_the_reason()
    {
        var engine = new ScriptedEngine();
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));
        using var ollama = server.Ollama();

        var pieces = new List<string>();
        ChatDoneResponseStream? done = null;
        await foreach (var chunk in ollama.ChatAsync(new ChatRequest
        {
            Model = "scripted-model:latest",
            Messages = [new Message { Role = ChatRole.System, Content = "Be brief." }, new Message { Role = ChatRole.User, Content = "Hi" }],
            Options = new RequestOptions { Temperature = 0.5f, TopP = 0.9f, TopK = 20, MinP = 0.05f, RepeatPenalty = 1.1f, Seed = 7, NumPredict = 12, Stop = ["END"], NumCtx = 1024 },
        }))
        {
            pieces.Add(chunk!.Message.Content ?? "");
            done = chunk as ChatDoneResponseStream ?? done;
        }

        Assert.Equal("Hello, world!", string.Concat(pieces));
        Assert.Contains(pieces, piece => piece.Length > 0);
        Assert.NotNull(done);
        Assert.Equal("stop", done!.DoneReason);
        Assert.True(done.EvalCount > 0 && done.PromptEvalCount > 0);
        var asked = await engine.NextStartedAsync();
        Assert.Equal(("system", "Be brief."), (asked.Messages[0].Role, asked.Messages[0].Content));
        Assert.Equal(12, asked.MaxTokens);
        Assert.Equal(["END"], asked.Stop);
        Assert.Equal((0.5, 0.9, 20, 0.05, 1.1, 7UL), ((double)asked.Sampling.Temperature!, Math.Round((double)asked.Sampling.TopP!, 3), asked.Sampling.TopK, Math.Round((double)asked.Sampling.MinP!, 3), Math.Round((double)asked.Sampling.RepetitionPenalty!, 3), asked.Sampling.Seed));
    }

    [Fact]
    public async Task A_tool_call_comes_back_with_object_arguments_and_the_tool_result_is_answered()
    {
        var engine = new ScriptedEngine { ToolCalls = [new ToolCall("set_light", """{"entity":"light.kitchen","on":true}""")] };
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));
        using var ollama = server.Ollama();
        var tool = new Tool
        {
            Function = new Function
            {
                Name = "set_light",
                Description = "Switch a light",
                Parameters = new Parameters
                {
                    Properties = new Dictionary<string, Property> { ["entity"] = new() { Type = "string" }, ["on"] = new() { Type = "boolean" } },
                    Required = ["entity", "on"],
                },
            },
        };
        List<Message> messages = [new Message { Role = ChatRole.User, Content = "Kitchen light on" }];

        var first = await CollectAsync(ollama.ChatAsync(new ChatRequest { Model = "scripted-model", Messages = messages, Tools = [tool] }));
        var call = Assert.Single(first.SelectMany(chunk => chunk.Message.ToolCalls ?? []));
        Assert.Equal("set_light", call.Function!.Name);
        Assert.Equal("light.kitchen", call.Function.Arguments!["entity"]!.ToString());
        Assert.Equal("stop", Assert.IsType<ChatDoneResponseStream>(first[^1]).DoneReason);

        messages.Add(new Message { Role = ChatRole.Assistant, Content = "", ToolCalls = [call] });
        messages.Add(new Message(ChatRole.Tool, """{"data":{"success":true}}""") { ToolName = "set_light" });
        var second = await CollectAsync(ollama.ChatAsync(new ChatRequest { Model = "scripted-model", Messages = messages, Tools = [tool] }));

        Assert.Equal("Hello, world!", string.Concat(second.Select(chunk => chunk.Message.Content)));
        await engine.NextStartedAsync();
        var followUp = await engine.NextStartedAsync();
        Assert.Equal(["user", "assistant", "tool"], followUp.Messages.Select(message => message.Role));
        Assert.Equal("set_light", Assert.Single(followUp.Messages[1].ToolCalls).Name);
    }

    [Fact]
    public async Task Generate_streams_the_response_and_format_json_constrains_it()
    {
        var engine = new ScriptedEngine();
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(engine));
        using var ollama = server.Ollama();

        var text = "";
        await foreach (var chunk in ollama.GenerateAsync(new GenerateRequest { Model = "scripted-model", Prompt = "Say hi", System = "Be brief.", Format = "json" }))
        {
            text += chunk!.Response;
        }

        Assert.Equal("Hello, world!", text);
        var asked = await engine.NextStartedAsync();
        Assert.Same(JsonGrammar.AnyObject, asked.ResponseFormat);
        Assert.Equal(["system", "user"], asked.Messages.Select(message => message.Role));
    }

    [Fact]
    public async Task An_ichatclient_over_ollamasharp_chats_and_streams()
    {
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));
        using var ollama = server.Ollama();
        AI.IChatClient chat = ollama;

        var reply = await chat.GetResponseAsync([new AI.ChatMessage(AI.ChatRole.User, "Hi")]);
        var streamed = "";
        await foreach (var update in chat.GetStreamingResponseAsync([new AI.ChatMessage(AI.ChatRole.User, "Hi")]))
        {
            streamed += update.Text;
        }

        Assert.Equal("Hello, world!", reply.Text);
        Assert.Equal("Hello, world!", streamed);
    }

    [Fact]
    public async Task An_unknown_model_is_an_ollama_error_the_client_reports()
    {
        await using var server = await OllamaTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));
        using var ollama = server.Ollama("llama3.2:latest");

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () => await CollectAsync(ollama.ChatAsync(new ChatRequest { Model = "llama3.2:latest", Messages = [new Message { Role = ChatRole.User, Content = "Hi" }] })));
        var (status, lines) = await server.PostLinesAsync("/api/chat", """{"model":"llama3.2:latest","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(404, status);
        Assert.StartsWith("model 'llama3.2:latest' not found", JsonDocument.Parse(Assert.Single(lines)).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<ChatResponseStream>> CollectAsync(IAsyncEnumerable<ChatResponseStream?> chunks)
    {
        var all = new List<ChatResponseStream>();
        await foreach (var chunk in chunks)
        {
            all.Add(chunk!);
        }

        return all;
    }
}
