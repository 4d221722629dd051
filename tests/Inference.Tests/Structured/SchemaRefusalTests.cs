using Appliance.Inference.Structured;

namespace Appliance.Inference.Tests.Structured;

/// <summary>Everything outside the supported subset is refused with the keyword and its JSON path, never ignored.</summary>
public sealed class SchemaRefusalTests
{
    [Theory]
    [InlineData("""{"type":"string","pattern":"^a+$"}""", "pattern", "$")]
    [InlineData("""{"type":"string","format":"date-time"}""", "format", "$")]
    [InlineData("""{"allOf":[{"type":"string"}]}""", "allOf", "$")]
    [InlineData("""{"not":{"type":"string"}}""", "not", "$")]
    [InlineData("""{"if":{"type":"string"},"then":{"minLength":1}}""", "if", "$")]
    [InlineData("""{"type":"integer","multipleOf":3}""", "multipleOf", "$")]
    [InlineData("""{"type":"object","patternProperties":{"^x":{}}}""", "patternProperties", "$")]
    [InlineData("""{"type":"object","propertyNames":{"maxLength":3}}""", "propertyNames", "$")]
    [InlineData("""{"type":"object","minProperties":1}""", "minProperties", "$")]
    [InlineData("""{"type":"object","maxProperties":1}""", "maxProperties", "$")]
    [InlineData("""{"type":"object","dependentRequired":{"a":["b"]}}""", "dependentRequired", "$")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"}]}""", "prefixItems", "$")]
    [InlineData("""{"type":"array","contains":{"type":"string"}}""", "contains", "$")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "uniqueItems", "$")]
    [InlineData("""{"type":"array","items":[{"type":"string"}]}""", "items", "$")]
    [InlineData("""{"type":"object","unevaluatedProperties":false}""", "unevaluatedProperties", "$")]
    [InlineData("""{"type":"number","minimum":0.5}""", "minimum", "$")]
    [InlineData("""{"type":"number","exclusiveMaximum":10}""", "exclusiveMaximum", "$")]
    [InlineData("""{"type":"date"}""", "type", "$.type")]
    [InlineData("""{"$ref":"other.json#/a"}""", "$ref", "$")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "$ref", "$")]
    [InlineData("""{"$ref":"#/$defs/a","$defs":{"a":{"$ref":"#/$defs/a"}}}""", "$ref", "$")]
    [InlineData("""{"$ref":"#/$defs/a","minLength":2,"$defs":{"a":{"type":"string"}}}""", "minLength", "$")]
    [InlineData("""{"type":"object","anyOf":[{"required":["a"]}]}""", "type", "$")]
    [InlineData("""{"oneOf":[{"type":"string"},{"type":"string","maxLength":3}]}""", "oneOf", "$.oneOf")]
    [InlineData("""{"oneOf":[{"type":"number"},{"type":"integer"}]}""", "oneOf", "$.oneOf")]
    [InlineData("""{"enum":["a"],"minLength":3}""", "enum", "$")]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string","pattern":"x"}}}}""", "pattern", "$.properties.tags.items")]
    [InlineData("""{"$defs":{"p":{"type":"string","format":"email"}},"type":"object","properties":{"e":{"$ref":"#/$defs/p"}}}""", "format", "$.$defs.p")]
    [InlineData("""{"type":"object","properties":{"a":{"$id":"x"}}}""", "$id", "$.properties.a")]
    [InlineData("""{"type":"string","minLength":-1}""", "minLength", "$")]
    [InlineData("""{"type":"object","required":"a"}""", "required", "$")]
    [InlineData("""{"properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false,"type":"object","allOf":[]}""", "allOf", "$")]
    [InlineData("""false""", "schema", "$")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""", "schema", "$")]
    [InlineData("""{"type":"object","required":["b"],"properties":{"a":{}},"additionalProperties":false}""", "schema", "$")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""", "schema", "$")]
    [InlineData("""{"enum":[]}""", "schema", "$")]
    [InlineData("""42""", "schema", "$")]
    public void An_unsupported_schema_is_refused_naming_keyword_and_path(string schema, string keyword, string path)
    {
        var refused = Assert.Throws<SchemaNotSupportedException>(() => JsonGrammar.FromSchema(schema));

        Assert.Equal(keyword, refused.Keyword);
        Assert.Equal(path, refused.Path);
        Assert.StartsWith($"'{keyword}' at {path}: ", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"title":"t","description":"d","$comment":"c","default":1,"examples":[1],"deprecated":false,"readOnly":true,"writeOnly":false,"type":"integer"}""")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/a","type":"string"}""")]
    [InlineData("""{"type":"array","items":{"type":"string"},"uniqueItems":false,"additionalItems":false}""")]
    [InlineData("""{"oneOf":[{"type":"object","properties":{"k":{"const":"a"}},"required":["k"]},{"type":"object","properties":{"k":{"const":"b"}},"required":["k"]}]}""")]
    [InlineData("""{"definitions":{"a":{"type":"null"}},"$ref":"#/definitions/a"}""")]
    public void Annotations_and_exclusive_one_ofs_compile(string schema) => Assert.True(JsonGrammar.FromSchema(schema).MinLength > 0);
}
