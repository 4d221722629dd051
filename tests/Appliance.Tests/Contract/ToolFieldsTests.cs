using System.Text;
using Appliance.Contract;
using Appliance.Inference.Structured;

namespace Appliance.Tests.Contract;

/// <summary>tools and tool_choice on MQTT requests: validated while parsing, each problem naming its field.</summary>
public sealed class ToolFieldsTests
{
    private const string Light = """
        {"type":"function","function":{"name":"set_light","description":"Switch a light","parameters":
          {"type":"object","properties":{"room":{"enum":["kitchen","hall"]},"on":{"type":"boolean"}},"required":["room","on"],"additionalProperties":false}}}
        """;

    private const string Weather = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""";

    private readonly RequestParser _parser = new(new RequestLimits { MaxPayloadBytes = 8192, DefaultMaxTokens = 100, MaxTokensCap = 200 });

    [Fact]
    public void Tools_reach_the_engine_with_auto_as_the_default_choice()
    {
        var tools = Parse($$"""{"prompt":"lights off","tools":[{{Light}},{{Weather}}]}""").Request!.Engine.Tools!;

        Assert.Equal(["set_light", "get_weather"], tools.Definitions.Select(d => d.Name));
        Assert.Equal(ToolChoice.Auto, tools.Choice);
        Assert.False(tools.CallRequired);
        Assert.True(tools.Grammar("arguments").Matches("""{"name":"set_light","arguments":{"room":"hall","on":false}}"""));
        Assert.False(tools.Grammar("arguments").Matches("""{"name":"set_light","arguments":{"room":"attic","on":false}}"""));
    }

    [Fact]
    public void Required_and_named_choices_require_a_call_and_a_name_narrows_the_grammar_to_that_tool()
    {
        Assert.True(Parse($$"""{"prompt":"x","tools":[{{Light}}],"tool_choice":"required"}""").Request!.Engine.Tools!.CallRequired);

        var named = Parse($$"""{"prompt":"x","tools":[{{Light}},{{Weather}}],"tool_choice":""" + """{"type":"function","function":{"name":"get_weather"}}}""").Request!.Engine.Tools!;

        Assert.True(named.CallRequired);
        Assert.True(named.Grammar("parameters").Matches("""{"name":"get_weather","parameters":{"city":"Bern"}}"""));
        Assert.False(named.Grammar("parameters").Matches("""{"name":"set_light","parameters":{"room":"hall","on":true}}"""));
    }

    [Fact]
    public void Choice_none_offers_no_tools()
    {
        Assert.Null(Parse($$"""{"prompt":"x","tools":[{{Light}}],"tool_choice":"none"}""").Request!.Engine.Tools);
        Assert.Null(Parse("""{"prompt":"x","tool_choice":"none"}""").Request!.Engine.Tools);
    }

    [Theory]
    [InlineData("""[]""", null, "field 'tools' must be an array of 1 to 64 tools")]
    [InlineData("""{"a":1}""", null, "field 'tools' must be an array")]
    [InlineData("""[{"type":"code"}]""", null, "field 'tools[0]' must be {\"type\":\"function\"")]
    [InlineData("""[{"type":"function","function":{"description":"d"}}]""", null, "field 'tools[0].function.name' must be a string")]
    [InlineData("""[{"type":"function","function":{"name":"a","params":{}}}]""", null, "unknown field 'tools[0].function.params'")]
    [InlineData("""[{"type":"function","function":{"name":"a"},"x":1}]""", null, "unknown field 'tools[0].x'")]
    [InlineData("""[{"type":"function","function":{"name":"a","parameters":[]}}]""", null, "field 'tools[0].function.parameters' must be a JSON schema object")]
    [InlineData("""[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"a"}}]""", null, "field 'tools[1].function.name': two tools are named 'a'")]
    [InlineData("""[{"type":"function","function":{"name":"remind","parameters":{"type":"object","properties":{"when":{"type":"string","format":"date"}}}}}]""", null, "field 'tools' is not supported: 'format' at $.$defs.remind.properties.when")]
    [InlineData("""[{"type":"function","function":{"name":"a"}}]""", "\"always\"", "field 'tool_choice' must be \"none\", \"auto\", \"required\"")]
    [InlineData("""[{"type":"function","function":{"name":"a"}}]""", """{"type":"function","function":{"name":"b"}}""", "field 'tool_choice.function.name' names 'b', which is not one of the request's tools")]
    [InlineData(null, "\"required\"", "field 'tool_choice' needs 'tools'")]
    public void Bad_tools_and_choices_are_bad_requests_naming_the_field(string? tools, string? choice, string expected)
    {
        var fields = (tools is null ? "" : $",\"tools\":{tools}") + (choice is null ? "" : $",\"tool_choice\":{choice}");

        var result = Parse($$"""{"id":"t1","prompt":"x"{{fields}}}""");

        Assert.Null(result.Request);
        Assert.Equal(ErrorCodes.BadRequest, result.Error!.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("t1", result.Id);
    }

    [Fact]
    public void Tools_and_a_response_format_do_not_mix()
    {
        var result = Parse($$$"""{"prompt":"x","tools":[{{{Light}}}],"response_format":{"type":"json_object"}}""");

        Assert.Contains("give either 'response_format' or 'tools'", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conversation_can_replay_a_call_and_its_result()
    {
        var messages = Parse("""
            {"messages":[{"role":"user","content":"Lights off"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"set_light","arguments":"{\"room\": \"hall\", \"on\": false}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"done"},
              {"role":"assistant","tool_calls":[{"function":{"name":"get_time","arguments":{}}}]}]}
            """).Request!.Engine.Messages;

        Assert.Equal(("", "set_light", """{"room":"hall","on":false}"""), (messages[1].Content, messages[1].ToolCalls[0].Name, messages[1].ToolCalls[0].ArgumentsJson));
        Assert.Equal(("tool", "call_1", "done"), (messages[2].Role, messages[2].ToolCallId, messages[2].Content));
        Assert.Equal(new ToolCall("get_time", "{}"), Assert.Single(messages[3].ToolCalls));
    }

    [Theory]
    [InlineData("""{"role":"user","content":"x","tool_calls":[{"function":{"name":"a"}}]}""", "field 'messages[0].tool_calls' belongs to a message with role \"assistant\"")]
    [InlineData("""{"role":"user","content":"x","tool_call_id":"c"}""", "field 'messages[0].tool_call_id' belongs to a message with role \"tool\"")]
    [InlineData("""{"role":"assistant","tool_calls":[]}""", "field 'messages[0].tool_calls' must be an array of 1 to 64 calls")]
    [InlineData("""{"role":"assistant","tool_calls":[{"function":{"name":"a","arguments":"[1]"}}]}""", "field 'messages[0].tool_calls[0].function.arguments' must be a JSON object")]
    [InlineData("""{"role":"assistant","tool_calls":[{"type":"code","function":{"name":"a"}}]}""", "field 'messages[0].tool_calls[0]' must be {")]
    [InlineData("""{"role":"tool"}""", "field 'messages[0].content' is missing")]
    [InlineData("""{"role":"robot","content":"x"}""", "must be \"system\", \"user\", \"assistant\" or \"tool\"")]
    public void Bad_tool_messages_are_bad_requests_naming_the_field(string message, string expected)
    {
        var result = Parse($$"""{"messages":[{{message}}]}""");

        Assert.Equal(ErrorCodes.BadRequest, result.Error!.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }

    private RequestParseResult Parse(string json) => _parser.Parse(Encoding.UTF8.GetBytes(json));
}
