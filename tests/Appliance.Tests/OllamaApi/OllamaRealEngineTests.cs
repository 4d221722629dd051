using Appliance.Engine;
using Appliance.Tests.Cli;
using OllamaSharp.Models.Chat;
using TemplateMessage = Appliance.Inference.Templates.ChatMessage;

namespace Appliance.Tests.OllamaApi;

/// <summary>
/// OllamaSharp against the Ollama API with nothing faked but the weights: real Kestrel, the pipeline, the ONNX Runtime
/// engine and the tiny synthetic-weight model's tokenizer and chat template (meaningless text, deterministic when greedy).
/// </summary>
public sealed class OllamaRealEngineTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task A_streamed_chat_answers_exactly_as_the_generator_does_with_its_counts()
    {
        await using var server = await OllamaTestServer.StartAsync(new OnnxGenerationEngineLoader(), modelPath: model.ModelPath);
        var expected = GreedyReply.For(model.ModelPath, 16, new TemplateMessage("system", "Be brief."), new TemplateMessage("user", "What is MQTT?"));
        using var ollama = server.Ollama("model:latest");

        var text = "";
        ChatDoneResponseStream? done = null;
        await foreach (var chunk in ollama.ChatAsync(new ChatRequest
        {
            Model = "model:latest",
            Messages = [new Message { Role = ChatRole.System, Content = "Be brief." }, new Message { Role = ChatRole.User, Content = "What is MQTT?" }],
            Options = new OllamaSharp.Models.RequestOptions { Temperature = 0, NumPredict = 16 },
        }))
        {
            text += chunk!.Message.Content;
            done = chunk as ChatDoneResponseStream ?? done;
        }

        Assert.Equal(expected.Text, text);
        Assert.Equal((expected.PromptTokens, expected.TokenTexts.Length), (done!.PromptEvalCount, done.EvalCount));
        Assert.Equal(expected.TokenTexts.Length == 16 ? "length" : "stop", done.DoneReason);
        Assert.True(done.TotalDuration > 0 && done.PromptEvalDuration > 0);
    }
}
