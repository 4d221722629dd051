using System.Text.Json;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using Appliance.TestSupport;
using Appliance.Tests.Mqtt;
using Json.Schema;

namespace Appliance.Tests.MqttService;

/// <summary>
/// Tool calls through the whole path: Mosquitto, the service, the ONNX Runtime engine, and a tiny synthetic-weight model
/// whose tokenizer_config.json carries Qwen3's real chat template (from the npm tokenizer package), so the tools are
/// rendered as Qwen3 renders them and the call comes in Hermes &lt;tool_call&gt; form.
/// </summary>
public sealed class ToolCallServiceTests : IDisposable
{
    private const string Parameters = """{"type":"object","properties":{"room":{"enum":["kitchen","hall"]},"on":{"type":"boolean"}},"required":["room","on"],"additionalProperties":false}""";

    private readonly TempDirectory _directory = new("appliance-tools");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_required_call_comes_back_as_openai_tool_calls()
    {
        var modelPath = QwenTemplatedModel();
        using var broker = MosquittoBroker.StartPlain();
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{broker.Port}", new OnnxGenerationEngineLoader(), modelPath: modelPath);
        var replyTopic = $"test/{Guid.NewGuid():N}";
        await using var client = await ReplyObserver.StartAsync(broker.Port, replyTopic);
        var validator = JsonSchema.FromText(Parameters);

        await client.PublishAsync(
            service.Topics.Request,
            """{"id":"lamp","prompt":"Turn off the kitchen light","max_tokens":120,"temperature":1,"seed":7,"tool_choice":"required","tools":["""
            + """{"type":"function","function":{"name":"set_light","description":"Switch a light","parameters":""" + Parameters + "}},"
            + """{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{},"additionalProperties":false}}}]}""",
            replyTopic);
        var (final, _) = await client.NextFinalAsync();

        Assert.False(final.IsError, final.ErrorMessage);
        Assert.Equal("tool_calls", final.FinishReason);
        Assert.Equal("", final.Text);
        var call = Assert.Single(final.Json.GetProperty("tool_calls").EnumerateArray());
        Assert.StartsWith("call_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function", call.GetProperty("type").GetString());
        var function = call.GetProperty("function");
        var name = function.GetProperty("name").GetString();
        using var arguments = JsonDocument.Parse(function.GetProperty("arguments").GetString()!);
        if (name == "set_light")
        {
            Assert.True(validator.Evaluate(arguments.RootElement).IsValid, arguments.RootElement.GetRawText());
        }
        else
        {
            Assert.Equal(("get_time", "{}"), (name, arguments.RootElement.GetRawText()));
        }

        await client.PublishAsync(service.Topics.Request, """{"id":"plain","prompt":"Hi","max_tokens":4,"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":"none"}""", replyTopic);
        var plain = (await client.NextFinalAsync()).Final;
        Assert.Equal(("plain", "length"), (plain.Id, plain.FinishReason));
        Assert.False(plain.Json.TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public async Task The_engine_renders_the_tools_and_splits_the_call_from_the_text()
    {
        using var engine = await new OnnxGenerationEngineLoader().LoadAsync(new EngineOptions { ModelPath = QwenTemplatedModel(), Threads = 1 }, CancellationToken.None);
        using var parameters = JsonDocument.Parse(Parameters);
        var listed = TemplateValue.FromJson("""[{"type":"function","function":{"name":"set_light","parameters":""" + Parameters + "}}]");
        var tools = new ToolRequest([new ToolDefinition("set_light", parameters.RootElement)], listed, new ToolChoice(ToolChoiceMode.Required));

        var reply = await engine.GenerateAsync(EngineRequest.FromPrompt("Lights off", 80) with { Tools = tools, Sampling = new SamplingRequest { Temperature = 1, Seed = 3 } }, null, CancellationToken.None);

        Assert.Equal("", reply.Text);
        Assert.Equal("set_light", Assert.Single(reply.ToolCalls).Name);
    }

    [Fact]
    public async Task A_model_whose_template_takes_no_tools_refuses_them()
    {
        using var engine = await new OnnxGenerationEngineLoader().LoadAsync(new EngineOptions { ModelPath = Model(qwenTemplate: false), Threads = 1 }, CancellationToken.None);
        using var parameters = JsonDocument.Parse(Parameters);
        var tools = new ToolRequest([new ToolDefinition("set_light", parameters.RootElement)], TemplateValue.FromJson("[]"), ToolChoice.Auto);

        var refused = await Assert.ThrowsAsync<InvalidConversationException>(() => engine.GenerateAsync(EngineRequest.FromPrompt("Hi", 4) with { Tools = tools }, null, CancellationToken.None));

        Assert.Contains("does not take tools", refused.Message, StringComparison.Ordinal);
    }

    private string QwenTemplatedModel() => TinyToolModel.Write(_directory, qwenTemplate: true);

    private string Model(bool qwenTemplate) => TinyToolModel.Write(_directory, qwenTemplate);
}
