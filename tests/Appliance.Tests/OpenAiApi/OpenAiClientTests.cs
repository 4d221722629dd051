using Appliance.Inference.Structured;
using Appliance.Tests.Mqtt;
using Appliance.Tests.MqttService;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using System.ClientModel;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatFinishReason = OpenAI.Chat.ChatFinishReason;
using ChatResponseFormat = OpenAI.Chat.ChatResponseFormat;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Appliance.Tests.OpenAiApi;

/// <summary>
/// The official OpenAI .NET library and Microsoft.Extensions.AI's IChatClient over it, against the OpenAI API on real
/// Kestrel and the real pipeline with a scripted engine (it answers "Hello, world!" one piece per token, and calls
/// its tools when offered some until a tool result comes back).
/// </summary>
public sealed class OpenAiClientTests
{
    private const string LightParameters = """{"type":"object","properties":{"room":{"type":"string"}},"required":["room"]}""";

    [Fact]
    public async Task The_library_lists_the_loaded_model_and_finds_it_by_name_and_with_latest()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));
        var models = server.Client().GetOpenAIModelClient();

        var listed = (await models.GetModelsAsync()).Value;
        var found = (await models.GetModelAsync("scripted-model")).Value;
        var tagged = (await models.GetModelAsync("scripted-model:latest")).Value;
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("gpt-4o"));

        Assert.Equal("scripted-model", Assert.Single(listed).Id);
        Assert.Equal("appliance", found.OwnedBy);
        Assert.Equal("scripted-model", tagged.Id);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task A_chat_completion_carries_the_conversation_and_every_option_to_the_engine()
    {
        var engine = new ScriptedEngine();
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 10, Temperature = 0.5f, TopP = 0.9f, StopSequences = { "x", "y" } };
#pragma warning disable OPENAI001 // Seed is marked experimental in the library.
        options.Seed = 42;
#pragma warning restore OPENAI001

        var completion = (await server.Chat("scripted-model").CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi there")], options)).Value;
        var request = await engine.NextStartedAsync();

        Assert.Equal("Hello, world!", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal("scripted-model", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal((4, 4, 8), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));
        Assert.Equal([("system", "Be brief."), ("user", "Hi there")], request.Messages.Select(m => (m.Role, m.Content)));
        Assert.Equal(10, request.MaxTokens);
        Assert.Equal(0.5, request.Sampling.Temperature!.Value, 5);
        Assert.Equal(0.9, request.Sampling.TopP!.Value, 5);
        Assert.Equal(42UL, request.Sampling.Seed);
        Assert.Equal(["x", "y"], request.Stop);
        Assert.Null(request.ResponseFormat);
        Assert.Null(request.Tools);
    }

    [Fact]
    public async Task A_streamed_chat_arrives_piece_by_piece_with_a_finish_reason_and_usage()
    {
        // Stepped: each token waits until the previous piece reached the client, so every piece is its own chunk.
        var engine = new ScriptedEngine { Stepped = true };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        var pieces = new List<string>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        engine.Step();
        // The library asks for stream_options.include_usage itself.
        await foreach (var update in server.Chat("scripted-model").CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                pieces.Add(part.Text);
                engine.Step();
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(["Hello", ",", " world", "!"], pieces);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal((1, 4), (usage!.InputTokenCount, usage.OutputTokenCount));
    }

    [Fact]
    public async Task A_reply_cut_by_max_tokens_finishes_with_length()
    {
        var engine = new ScriptedEngine();
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));

        var completion = (await server.Chat("scripted-model").CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { MaxOutputTokenCount = 2 })).Value;

        Assert.Equal("Hello,", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task A_required_tool_call_comes_back_as_tool_calls_and_the_tool_result_is_answered()
    {
        var engine = new ScriptedEngine { ToolCalls = [new ToolCall("set_light", """{"room":"kitchen"}""")] };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        var chat = server.Chat("scripted-model");
        var tool = ChatTool.CreateFunctionTool("set_light", "Switch a light", BinaryData.FromString(LightParameters));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        List<OpenAI.Chat.ChatMessage> conversation = [new UserChatMessage("Kitchen light on")];

        var calling = (await chat.CompleteChatAsync(conversation, options)).Value;
        var offered = (await engine.NextStartedAsync()).Tools!;
        conversation.Add(new AssistantChatMessage(calling));
        conversation.Add(new ToolChatMessage(calling.ToolCalls[0].Id, "the kitchen light is on"));
        var answer = (await chat.CompleteChatAsync(conversation, options)).Value;
        var followUp = await engine.NextStartedAsync();

        Assert.Equal(ChatFinishReason.ToolCalls, calling.FinishReason);
        var call = Assert.Single(calling.ToolCalls);
        Assert.Equal(("set_light", """{"room":"kitchen"}"""), (call.FunctionName, call.FunctionArguments.ToString()));
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        Assert.True(offered.CallRequired);
        Assert.Equal("set_light", Assert.Single(offered.Definitions).Name);
        Assert.Equal(["user", "assistant", "tool"], followUp.Messages.Select(m => m.Role));
        Assert.Equal("set_light", Assert.Single(followUp.Messages[1].ToolCalls).Name);
        Assert.Equal((call.Id, "the kitchen light is on"), (followUp.Messages[2].ToolCallId, followUp.Messages[2].Content));
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal("Hello, world!", answer.Content[0].Text);
    }

    [Fact]
    public async Task A_streamed_tool_call_arrives_whole_with_its_id_and_finish_reason()
    {
        var engine = new ScriptedEngine { ToolCalls = [new ToolCall("set_light", """{"room":"hall"}""")] };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("set_light", null, BinaryData.FromString(LightParameters)) },
            ToolChoice = ChatToolChoice.CreateFunctionChoice("set_light"),
        };
        var updates = new List<StreamingChatToolCallUpdate>();
        ChatFinishReason? finish = null;

        await foreach (var update in server.Chat("scripted-model").CompleteChatStreamingAsync([new UserChatMessage("Hall light")], options))
        {
            updates.AddRange(update.ToolCallUpdates);
            finish ??= update.FinishReason;
        }

        var call = Assert.Single(updates);
        Assert.Equal(("set_light", """{"room":"hall"}"""), (call.FunctionName, call.FunctionArgumentsUpdate.ToString()));
        Assert.StartsWith("call_", call.ToolCallId, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("set_light", (await engine.NextStartedAsync()).Tools!.Choice.Function);
    }

    [Fact]
    public async Task Response_formats_json_object_and_json_schema_constrain_the_reply()
    {
        var engine = new ScriptedEngine();
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        var chat = server.Chat("scripted-model");

        await chat.CompleteChatAsync([new UserChatMessage("JSON please")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });
        var anyObject = (await engine.NextStartedAsync()).ResponseFormat;
        await chat.CompleteChatAsync([new UserChatMessage("JSON please")], new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("light", BinaryData.FromString(LightParameters), jsonSchemaIsStrict: true),
        });
        var schema = (await engine.NextStartedAsync()).ResponseFormat;
        await chat.CompleteChatAsync([new UserChatMessage("text")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateTextFormat() });
        var text = (await engine.NextStartedAsync()).ResponseFormat;

        Assert.Same(JsonGrammar.AnyObject, anyObject);
        Assert.NotNull(schema);
        Assert.NotSame(JsonGrammar.AnyObject, schema);
        Assert.Null(text);
    }

    [Fact]
    public async Task A_refusal_surfaces_in_the_library_as_its_status()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()));

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")]));
        var tooMany = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat("scripted-model").CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { MaxOutputTokenCount = 100_000 }));

        Assert.Equal(404, unknown.Status);
        Assert.Contains("scripted-model", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(413, tooMany.Status);
    }

    [Fact]
    public async Task An_IChatClient_over_the_library_chats_streams_and_sees_tool_calls()
    {
        var engine = new ScriptedEngine { ToolCalls = [new ToolCall("get_time", "{}")] };
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(engine));
        using var client = server.Chat("scripted-model").AsIChatClient();

        var response = await client.GetResponseAsync([new AiChatMessage(AiChatRole.System, "Be brief."), new AiChatMessage(AiChatRole.User, "Hi")]);
        var streamed = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            streamed.Add(update.Text);
        }

        var calling = await client.GetResponseAsync("What time is it?", new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("get_time", "The time now", System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement)],
            ToolMode = ChatToolMode.RequireAny,
        });

        Assert.Equal("Hello, world!", response.Text);
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(4, response.Usage!.OutputTokenCount);
        Assert.Equal("Hello, world!", string.Concat(streamed));
        var call = Assert.Single(calling.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_time", call.Name);
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.ToolCalls, calling.FinishReason);
    }
}
