using System.Text.Json.Nodes;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;

namespace Appliance.Inference.Tests.Templates;

/// <summary>
/// Tools and tool turns as the appliance passes them (<see cref="ChatMessage"/> with tool calls, a tools list) render
/// through Qwen3's real template exactly as @huggingface/jinja renders the same conversation in OpenAI's JSON form.
/// </summary>
public sealed class ToolMessageRenderingTests
{
    private const string Tools = """
        [{"type":"function","function":{"name":"set_light","description":"Switch a light in a room","parameters":
          {"type":"object","properties":{"room":{"enum":["kitchen","hall"]},"on":{"type":"boolean"}},"required":["room","on"]}}},
         {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]
        """;

    [Fact]
    public void A_conversation_with_tools_calls_and_results_renders_as_the_reference_renders_it()
    {
        var source = TokenizerChatConfig.Load(ChatTemplateSuites.TokenizerConfigPath("qwen3")).RequireTemplate().Source;
        ChatMessage[] messages =
        [
            new("system", "You run a house."),
            new("user", "Turn off the hall light and tell me the time."),
            new("assistant", "") { ToolCalls = [new ToolCall("set_light", """{"room":"hall","on":false}"""), new ToolCall("get_time", "{}")] },
            new("tool", "ok") { ToolCallId = "call_1" },
            new("tool", "21:04") { ToolCallId = "call_2" },
            new("assistant", "Done; it is 21:04."),
            new("user", "Thanks!"),
        ];
        var context = new ChatTemplateContext(messages.Select(m => m.ToTemplateValue())) { AddGenerationPrompt = true, Tools = TemplateValue.FromJson(Tools) };

        var ours = ChatTemplate.Parse(source).Render(context);

        var reference = new JsonObject
        {
            ["messages"] = JsonNode.Parse("""
                [{"role":"system","content":"You run a house."},{"role":"user","content":"Turn off the hall light and tell me the time."},
                 {"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"set_light","arguments":{"room":"hall","on":false}}},
                                                                {"type":"function","function":{"name":"get_time","arguments":{}}}]},
                 {"role":"tool","content":"ok","tool_call_id":"call_1"},{"role":"tool","content":"21:04","tool_call_id":"call_2"},
                 {"role":"assistant","content":"Done; it is 21:04."},{"role":"user","content":"Thanks!"}]
                """),
            ["add_generation_prompt"] = true,
            ["tools"] = JsonNode.Parse(Tools),
        };
        var result = JinjaOracle.Run(new Dictionary<string, string> { ["qwen3"] = source }, [new OracleCase("tools", "qwen3", reference)])["tools"];

        Assert.True(result.Ok, result.Error);
        Assert.Equal(result.Text, ours);
        Assert.Contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"set_light\"", ours, StringComparison.Ordinal);
        Assert.Contains("<tool_call>\n{\"name\": \"set_light\", \"arguments\": {\"room\": \"hall\", \"on\": false}}\n</tool_call>", ours, StringComparison.Ordinal);
        Assert.Contains("<tool_response>\n21:04\n</tool_response>", ours, StringComparison.Ordinal);
    }
}
