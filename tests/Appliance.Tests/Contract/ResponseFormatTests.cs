using System.Text;
using Appliance.Contract;
using Appliance.Inference.Structured;

namespace Appliance.Tests.Contract;

/// <summary>response_format on MQTT requests: a schema is compiled while parsing, so what cannot be honoured is refused up front.</summary>
public sealed class ResponseFormatTests
{
    private readonly RequestParser _parser = new(new RequestLimits { MaxPayloadBytes = 8192, DefaultMaxTokens = 100, MaxTokensCap = 200 });

    [Fact]
    public void A_json_schema_becomes_the_grammar_the_engine_gets()
    {
        var request = Parse("""
            {"prompt":"turn off the kitchen light","response_format":{"type":"json_schema","schema":
              {"type":"object","properties":{"action":{"enum":["on","off"]},"room":{"type":"string"}},"required":["action","room"],"additionalProperties":false}}}
            """).Request!;

        var grammar = Assert.IsType<JsonGrammar>(request.Engine.ResponseFormat);
        Assert.True(grammar.Matches("""{"action":"off","room":"kitchen"}"""));
        Assert.False(grammar.Matches("""{"action":"dim","room":"kitchen"}"""));
    }

    [Fact]
    public void The_same_schema_is_compiled_once()
    {
        const string Request = """{"prompt":"x","response_format":{"type":"json_schema","schema":{"type":"integer","minimum":3}}}""";

        Assert.Same(Parse(Request).Request!.Engine.ResponseFormat, Parse(Request).Request!.Engine.ResponseFormat);
    }

    [Fact]
    public void Json_object_admits_any_object_and_text_or_null_none()
    {
        Assert.Same(JsonGrammar.AnyObject, Parse("""{"prompt":"x","response_format":{"type":"json_object"}}""").Request!.Engine.ResponseFormat);
        Assert.Null(Parse("""{"prompt":"x","response_format":{"type":"text"}}""").Request!.Engine.ResponseFormat);
        Assert.Null(Parse("""{"prompt":"x","response_format":null}""").Request!.Engine.ResponseFormat);
    }

    [Theory]
    [InlineData("""{"type":"json_schema","schema":{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]+$"}}}}""", "'pattern' at $.properties.code")]
    [InlineData("""{"type":"json_schema","schema":{"allOf":[{"type":"string"}]}}""", "'allOf' at $")]
    [InlineData("""{"type":"json_schema","schema":{"type":"array","items":{"uniqueItems":true,"type":"array"}}}""", "'uniqueItems' at $.items")]
    [InlineData("""{"type":"json_schema","schema":{"$ref":"https://example.com/s.json"}}""", "'$ref' at $")]
    [InlineData("""{"type":"json_schema","schema":false}""", "no JSON value satisfies")]
    [InlineData("""{"type":"json_schema"}""", "needs 'schema'")]
    [InlineData("""{"type":"xml"}""", "must be {\"type\":\"json_schema\"")]
    [InlineData("""{"type":"json_object","strict":true}""", "unknown field 'response_format.strict'")]
    [InlineData("\"json\"", "must be {\"type\":\"json_schema\"")]
    public void Schemas_outside_the_subset_are_bad_requests_naming_keyword_and_path(string format, string expected)
    {
        var result = Parse($$"""{"id":"r1","prompt":"x","response_format":{{format}}}""");

        Assert.Null(result.Request);
        Assert.Equal(ErrorCodes.BadRequest, result.Error!.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("r1", result.Id);
    }

    private RequestParseResult Parse(string json) => _parser.Parse(Encoding.UTF8.GetBytes(json));
}
