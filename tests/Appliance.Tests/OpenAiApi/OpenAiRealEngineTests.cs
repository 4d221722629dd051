using Appliance.Engine;
using Appliance.Tests.Cli;
using Appliance.Tests.MqttService;
using Appliance.TestSupport;
using Json.Schema;
using OpenAI.Chat;
using System.Text.Json;
using TemplateMessage = Appliance.Inference.Templates.ChatMessage;

namespace Appliance.Tests.OpenAiApi;

/// <summary>
/// The official OpenAI library against the OpenAI API with nothing faked but the weights: real Kestrel, the pipeline,
/// the ONNX Runtime engine and the tiny synthetic-weight model's tokenizer and chat template (its answers are
/// meaningless text, deterministic under greedy decoding).
/// </summary>
public sealed class OpenAiRealEngineTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Chat_and_streamed_chat_answer_exactly_as_the_generator_does()
    {
        await using var server = await OpenAiTestServer.StartAsync(new OnnxGenerationEngineLoader(), modelPath: model.ModelPath);
        var expected = GreedyReply.For(model.ModelPath, 16, new TemplateMessage("system", "Be brief."), new TemplateMessage("user", "What is MQTT?"));
        var chat = server.Chat("model");
        List<ChatMessage> conversation = [new SystemChatMessage("Be brief."), new UserChatMessage("What is MQTT?")];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0 };

        var completion = (await chat.CompleteChatAsync(conversation, options)).Value;
        var streamed = new List<string>();
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(conversation, options))
        {
            streamed.AddRange(update.ContentUpdate.Select(part => part.Text));
            usage ??= update.Usage;
        }

        Assert.Equal(expected.Text, completion.Content[0].Text);
        Assert.Equal((expected.PromptTokens, expected.TokenTexts.Length), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount));
        Assert.Equal(expected.TokenTexts.Length == 16 ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(expected.Text, string.Concat(streamed));
        Assert.Equal((expected.PromptTokens, expected.TokenTexts.Length), (usage!.InputTokenCount, usage.OutputTokenCount));

        // The streamed request repeated the prompt: the prefix cache supplied all but its last token.
        Assert.Equal(0, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(expected.PromptTokens - 1, usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task A_completion_answers_the_prompt_as_one_user_turn_exactly_as_the_generator_does()
    {
        await using var server = await OpenAiTestServer.StartAsync(new OnnxGenerationEngineLoader(), modelPath: model.ModelPath);
        var expected = GreedyReply.For(model.ModelPath, 8, new TemplateMessage("user", "Hello"));

        using var response = await server.Client.PostAsync(
            new Uri("/v1/completions", UriKind.Relative),
            OpenAiHttpTests.Json("""{"model":"model","prompt":"Hello","max_tokens":8,"temperature":0}"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(expected.Text, body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(expected.PromptTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Tools_for_a_model_whose_template_takes_none_are_a_400_naming_why()
    {
        await using var server = await OpenAiTestServer.StartAsync(new OnnxGenerationEngineLoader(), modelPath: model.ModelPath);

        using var response = await server.Client.PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative),
            OpenAiHttpTests.Json("""{"model":"model","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"a"}}]}"""));
        var error = await OpenAiHttpTests.ErrorOf(response);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not take tools", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>Tools through the official library on the real engine, with the tiny model wearing Qwen3's chat template.</summary>
public sealed class OpenAiRealToolCallTests : IDisposable
{
    private const string Parameters = """{"type":"object","properties":{"room":{"enum":["kitchen","hall"]},"on":{"type":"boolean"}},"required":["room","on"],"additionalProperties":false}""";

    private readonly TempDirectory _directory = new("appliance-openai-tools");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_required_call_returns_tool_calls_and_the_tool_result_is_answered()
    {
        await using var server = await OpenAiTestServer.StartAsync(new OnnxGenerationEngineLoader(), modelPath: TinyToolModel.Write(_directory, qwenTemplate: true));
        var chat = server.Chat("model");
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 120,
            Temperature = 1,
            Tools = { ChatTool.CreateFunctionTool("set_light", "Switch a light", BinaryData.FromString(Parameters)) },
            ToolChoice = ChatToolChoice.CreateRequiredChoice(),
        };
#pragma warning disable OPENAI001 // Seed is marked experimental in the library.
        options.Seed = 7;
#pragma warning restore OPENAI001
        List<ChatMessage> conversation = [new UserChatMessage("Turn off the kitchen light")];

        var calling = (await chat.CompleteChatAsync(conversation, options)).Value;
        conversation.Add(new AssistantChatMessage(calling));
        conversation.Add(new ToolChatMessage(calling.ToolCalls[0].Id, "done"));
        var answer = (await chat.CompleteChatAsync(conversation, new ChatCompletionOptions { MaxOutputTokenCount = 8, Temperature = 0, Tools = { options.Tools[0] } })).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, calling.FinishReason);
        var call = Assert.Single(calling.ToolCalls);
        Assert.Equal("set_light", call.FunctionName);
        using var arguments = JsonDocument.Parse(call.FunctionArguments.ToString());
        Assert.True(JsonSchema.FromText(Parameters).Evaluate(arguments.RootElement).IsValid, arguments.RootElement.GetRawText());
        Assert.Contains(answer.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length, ChatFinishReason.ToolCalls });
        Assert.True(answer.Usage.InputTokenCount > calling.Usage.InputTokenCount, "the follow-up carries the call and its result");
    }
}
