using Appliance.Inference.Structured;

namespace Appliance.Inference.Tests.Structured;

/// <summary>What the matcher accepts, whole-value, in compact form.</summary>
public sealed class JsonMatcherTests
{
    [Theory]
    [InlineData("""{"type":"integer","minimum":-5,"maximum":120}""", "-5|0|7|120|-0", "-6|121|1.5|01|+1|1e2| 1|")]
    [InlineData("""{"type":"integer","exclusiveMinimum":10}""", "11|999999999999999999", "10|-3|1000000000000000000")]
    [InlineData("""{"type":"number"}""", "0|-0.5|1e-7|2.50E+10|123", "1.|.5|-|1e|0x10|00|1e1234|NaN")]
    [InlineData("""{"type":"string","minLength":2,"maxLength":3}""", "\"ab\"|\"é日\"|\"\\n\\u00e9x\"|\"💩💩\"", "\"a\"|\"abcd\"|\"\\ud83d\\ude00\"|\"\\x\"|\"a\nb\"")]
    [InlineData("""{"enum":["a","ab",1,10,null,{"k":[true]}]}""", "\"a\"|\"ab\"|1|10|null|{\"k\":[true]}", "\"abc\"|100|false|{\"k\":[]}|1.0")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["a"],"additionalProperties":false}""",
        "{\"a\":1}|{\"b\":\"x\",\"a\":2}", "{}|{\"b\":\"x\"}|{\"a\":1,\"a\":2}|{\"a\":1,\"c\":0}|{\"a\":1,}|{ \"a\":1}")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":{"type":"boolean"}}""",
        "{}|{\"x\":true}|{\"a\":1,\"ab\":false}|{\"\\u0061b\":true}", "{\"x\":1}|{\"a\":true}|{\"a\":1,\"a\":1}")]
    [InlineData("""{"type":"array","items":{"type":"boolean"},"minItems":1,"maxItems":2}""", "[true]|[false,true]", "[]|[true,true,true]|[1]|[true,]")]
    [InlineData("""{"anyOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}]}""",
        "{\"a\":1}|{\"a\":\"x\"}", "{\"a\":null}")]
    [InlineData("""{"$defs":{"n":{"type":"array","items":{"$ref":"#/$defs/n"}}},"$ref":"#/$defs/n"}""", "[]|[[],[[]]]", "[[]|[1]")]
    public void Accepts_exactly_the_valid_values(string schema, string valid, string invalid)
    {
        var grammar = JsonGrammar.FromSchema(schema);
        foreach (var value in valid.Split('|'))
        {
            Assert.True(grammar.Matches(value), $"{value} should match {schema}");
        }

        foreach (var value in invalid.Split('|'))
        {
            Assert.False(grammar.Matches(value), $"{value} should not match {schema}");
        }
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_not_generated()
    {
        var grammar = JsonGrammar.FromSchema("{}");
        var depth = JsonMatcher.MaxDepth;

        Assert.True(grammar.Matches(new string('[', depth) + new string(']', depth)));
        Assert.False(grammar.Matches(new string('[', depth + 2) + new string(']', depth + 2)));
    }

    [Fact]
    public void The_shortest_value_is_what_the_budget_counts()
    {
        Assert.Equal("""{"a":0,"bb":""}""".Length, JsonGrammar.FromSchema("""{"type":"object","properties":{"a":{"type":"integer"},"bb":{"type":"string"},"c":{}},"required":["a","bb"]}""").MinLength);
        Assert.Equal(3, JsonGrammar.FromSchema("""{"type":"integer","minimum":100}""").MinLength);
        Assert.Equal(2, JsonGrammar.FromSchema("""{"type":"integer","maximum":-1}""").MinLength);
        Assert.Equal("[\"\",\"\"]".Length, JsonGrammar.FromSchema("""{"type":"array","items":{"type":"string"},"minItems":2}""").MinLength);
        Assert.Equal(2, JsonGrammar.AnyObject.MinLength);
    }
}
