using System.Text.Json;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Structured;
using Appliance.Inference.Tests.Generation;
using Appliance.Inference.Tests.Tokenization;
using Appliance.TestSupport;
using Json.Schema;

namespace Appliance.Inference.Tests.Structured;

/// <summary>Tool calls constrained to {"name": a tool, "arguments": its parameters}, on a random-weight model.</summary>
public sealed class ToolCallGrammarTests : IDisposable
{
    internal static readonly (string Name, string Parameters)[] Tools =
    [
        ("set_light", """{"type":"object","properties":{"room":{"enum":["kitchen","hall","bedroom"]},"on":{"type":"boolean"},"brightness":{"type":"integer","minimum":0,"maximum":100}},"required":["room","on"],"additionalProperties":false}"""),
        ("get_weather", """{"type":"object","properties":{"city":{"type":"string","minLength":1,"maxLength":24},"days":{"type":"integer","minimum":1,"maximum":7}},"required":["city"],"additionalProperties":false}"""),
        ("log/event", """{"$defs":{"level":{"enum":["info","warn","error"]}},"type":"object","properties":{"level":{"$ref":"#/$defs/level"},"tags":{"type":"array","items":{"type":"string","maxLength":8},"maxItems":3}},"required":["level","tags"],"additionalProperties":false}"""),
    ];

    private readonly TempDirectory _directory = new("structured-tools");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Every_call_names_a_tool_and_its_arguments_validate()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var documents = Tools.Select(t => JsonDocument.Parse(t.Parameters)).ToList();
        var grammar = ToolCallGrammar.Build([.. Tools.Select((t, i) => new ToolDefinition(t.Name, documents[i].RootElement))]);
        var validators = Tools.ToDictionary(t => t.Name, t => JsonSchema.FromText(t.Parameters), StringComparer.Ordinal);
        var path = _directory.Combine("model");
        Directory.CreateDirectory(path);
        new ToyDecoder { VocabSize = tokenizer.VocabularySize, MaxLength = 200, EosTokenIds = [2], Seed = 3 }.Write(path);
        using var generator = Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
        var named = new HashSet<string>(StringComparer.Ordinal);

        for (var seed = 0; seed < 20; seed++)
        {
            var result = generator.Generate([1, 7, 9], new GenerationOptions
            {
                MaxNewTokens = grammar.MinLength + (seed * 5 % 50),
                StopTokenIds = [2],
                Sampling = new SamplerSettings { Temperature = 1, Seed = (ulong)seed },
                Constraint = new JsonConstraint(grammar, TokenVocabulary.For(tokenizer)),
            });
            var text = tokenizer.Decode([.. result.Tokens]);

            Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
            using var call = JsonDocument.Parse(text);
            var name = call.RootElement.GetProperty("name").GetString()!;
            Assert.True(validators.TryGetValue(name, out var validator), text);
            Assert.True(validator.Evaluate(call.RootElement.GetProperty("arguments")).IsValid, text);
            Assert.Equal(2, call.RootElement.EnumerateObject().Count());
            named.Add(name);
        }

        Assert.True(named.Count >= 2, $"only {string.Join(", ", named)} were called");
        documents.ForEach(d => d.Dispose());
    }

    [Fact]
    public void A_tool_outside_the_subset_is_refused_with_its_path()
    {
        using var parameters = JsonDocument.Parse("""{"type":"object","properties":{"when":{"type":"string","format":"date"}}}""");

        var refused = Assert.Throws<SchemaNotSupportedException>(() => ToolCallGrammar.Build([new ToolDefinition("remind", parameters.RootElement)]));

        Assert.Equal(("format", "$.$defs.remind.properties.when"), (refused.Keyword, refused.Path));
    }

    [Fact]
    public void Names_must_be_unique()
    {
        using var parameters = JsonDocument.Parse("""{"type":"object"}""");

        Assert.Throws<ArgumentException>(() => ToolCallGrammar.Build([new ToolDefinition("a", parameters.RootElement), new ToolDefinition("a", parameters.RootElement)]));
        Assert.Throws<ArgumentException>(() => ToolCallGrammar.Build([]));
    }
}
