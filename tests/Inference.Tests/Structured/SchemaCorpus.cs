namespace Appliance.Inference.Tests.Structured;

/// <summary>The schemas the constrained-generation property test runs: every supported construct, nested.</summary>
internal static class SchemaCorpus
{
    public static readonly IReadOnlyList<string> Schemas =
    [
        """{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}""",
        """{"type":"object","properties":{"user":{"type":"object","properties":{"id":{"type":"integer","minimum":1},"email":{"type":"string","maxLength":20}},"required":["id"]}},"required":["user"]}""",
        """{"type":"array","items":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"}},"required":["x","y"],"additionalProperties":false},"minItems":1,"maxItems":3}""",
        """{"type":"string","enum":["red","green","blue"]}""",
        """{"enum":[1,"two",null,true,{"a":[1,2]}]}""",
        """{"type":"object","properties":{"kind":{"const":"light"},"on":{"type":"boolean"}},"required":["kind","on"],"additionalProperties":false}""",
        """{"anyOf":[{"type":"string","maxLength":5},{"type":"integer","minimum":0,"maximum":100},{"type":"null"}]}""",
        """{"$defs":{"point":{"type":"object","properties":{"x":{"type":"integer"},"y":{"type":"integer"}},"required":["x","y"],"additionalProperties":false}},"type":"object","properties":{"from":{"$ref":"#/$defs/point"},"to":{"$ref":"#/$defs/point"}},"required":["from","to"],"additionalProperties":false}""",
        """{"$defs":{"node":{"type":"object","properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},"required":["value"],"additionalProperties":false}},"$ref":"#/$defs/node"}""",
        """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"},"c":{"type":"boolean"}},"additionalProperties":false}""",
        """{"type":"number"}""",
        """{"type":"integer","minimum":-50,"maximum":50}""",
        """{"type":"integer","exclusiveMinimum":1000,"exclusiveMaximum":1010}""",
        """{"type":"string","minLength":3,"maxLength":8}""",
        """{"type":"array","items":{"type":"string","minLength":1,"maxLength":4},"minItems":2,"maxItems":5}""",
        """{"type":["string","null"]}""",
        """{"type":["integer","boolean","array"],"items":{"type":"integer"}}""",
        """{"oneOf":[{"type":"string"},{"type":"integer"},{"type":"object","properties":{"v":{"type":"null"}},"required":["v"],"additionalProperties":false}]}""",
        """{"oneOf":[{"type":"object","properties":{"kind":{"const":"a"},"x":{"type":"integer"}},"required":["kind","x"],"additionalProperties":false},{"type":"object","properties":{"kind":{"const":"b"},"y":{"type":"string"}},"required":["kind","y"],"additionalProperties":false}]}""",
        """{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"],"additionalProperties":{"type":"boolean"}}""",
        """{"type":"object"}""",
        """{}""",
        """{"type":"object","properties":{"action":{"enum":["turn_on","turn_off","toggle"]},"device":{"type":"string","minLength":1,"maxLength":32},"brightness":{"type":"integer","minimum":0,"maximum":255}},"required":["action","device"],"additionalProperties":false}""",
        """{"type":"object","properties":{"machine":{"type":"string","maxLength":12},"temperature":{"type":"number"},"status":{"enum":["ok","warn","fail"]},"readings":{"type":"array","items":{"type":"integer","minimum":0,"maximum":9999},"maxItems":4}},"required":["machine","temperature","status","readings"],"additionalProperties":false}""",
        """{"type":"boolean"}""",
        """{"type":"null"}""",
        """{"type":"array","items":{"type":"array","items":{"type":"integer","minimum":0,"maximum":9},"minItems":1,"maxItems":3},"maxItems":3}""",
        """{"type":"object","required":["token"],"properties":{"n":{"type":"integer"}}}""",
        """{"title":"T","description":"d","type":"object","properties":{"q":{"type":"string","description":"x","minLength":2}},"required":["q"],"additionalProperties":false}""",
        """{"anyOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}]}""",
        """{"type":"number","enum":[0.5,1.5,-2,1e3]}""",
        """{"type":"array","items":{"enum":["a","ab","abc"]},"minItems":3,"maxItems":3}""",
    ];
}
