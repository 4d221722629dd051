using System.Text.Json;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Structured;
using Appliance.Inference.Tests.Generation;
using Appliance.Inference.Tests.Tokenization;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;
using Json.Schema;

namespace Appliance.Inference.Tests.Structured;

/// <summary>Tool calls detected and constrained in each family's format, on random-weight models with real tokenizers.</summary>
public sealed class ToolCallConstraintTests : IDisposable
{
    private const int Seeds = 20;
    private readonly TempDirectory _directory = new("structured-tool-calls");
    private readonly List<JsonDocument> _documents = [];

    public void Dispose()
    {
        _documents.ForEach(d => d.Dispose());
        _directory.Dispose();
    }

    public static TheoryData<string, int, string> Families => new()
    {
        { "qwen3", 151645, "hermes" },
        { "llama3", 128009, "llama3-json" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void A_required_call_always_parses_names_a_tool_and_validates(string tokenizerName, int endOfSequence, string formatName)
    {
        var format = Format(formatName);
        var tokenizer = RealTokenizers.Get(tokenizerName);
        var grammar = ToolCallGrammar.Build(Definitions(), format.ArgumentsKey);
        var validators = ToolCallGrammarTests.Tools.ToDictionary(t => t.Name, t => JsonSchema.FromText(t.Parameters), StringComparer.Ordinal);
        using var generator = Open(tokenizer, endOfSequence);
        var named = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < Seeds; seed++)
        {
            var constraint = new ToolCallConstraint(grammar, TokenVocabulary.For(tokenizer), format, required: true);
            var result = Generate(generator, constraint, endOfSequence, grammar.MinLength + 30 + (seed * 5 % 50), seed);
            var text = tokenizer.Decode([.. result.Tokens]);

            Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
            Assert.StartsWith(format.Trigger + format.Open, text, StringComparison.Ordinal);
            Assert.EndsWith(format.Close, text, StringComparison.Ordinal);
            Assert.Equal(text[(format.Trigger + format.Open).Length..^format.Close.Length], constraint.CallJson);
            var call = ToolCall.Parse(constraint.CallJson!, format);
            Assert.True(validators.TryGetValue(call.Name, out var validator), text);
            using var arguments = JsonDocument.Parse(call.ArgumentsJson);
            Assert.True(validator.Evaluate(arguments.RootElement).IsValid, text);
            Assert.Equal("", format.ContentBefore(text));
            named.Add(call.Name);
        }

        Assert.True(named.Count >= 2, $"only {string.Join(", ", named)} were called");
    }

    [Fact]
    public void In_auto_mode_text_follows_the_model_until_the_trigger_then_the_call_is_constrained()
    {
        var format = ToolCallFormat.Hermes;
        var tokenizer = RealTokenizers.Get("qwen3");
        var grammar = ToolCallGrammar.Build(Definitions(), format.ArgumentsKey);
        using var generator = Open(tokenizer, 151645);
        var prefix = tokenizer.Encode("Let me check.<tool_call>", addSpecialTokens: false);
        for (var seed = 0; seed < 5; seed++)
        {
            var constraint = new ToolCallConstraint(grammar, TokenVocabulary.For(tokenizer), format, required: false);
            var result = Generate(generator, new ForcedStart(constraint, prefix), 151645, 200, seed);
            var text = tokenizer.Decode([.. result.Tokens]);

            Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
            Assert.Equal("Let me check.", format.ContentBefore(text));
            Assert.Equal($"Let me check.<tool_call>\n{constraint.CallJson}\n</tool_call>", text);
            Assert.Contains(ToolCall.Parse(constraint.CallJson!, format).Name, ToolCallGrammarTests.Tools.Select(t => t.Name));
        }
    }

    [Fact]
    public void In_auto_mode_a_reply_without_the_trigger_is_free_text()
    {
        var tokenizer = RealTokenizers.Get("qwen3");
        var grammar = ToolCallGrammar.Build(Definitions());
        using var generator = Open(tokenizer, 151645);
        var constraint = new ToolCallConstraint(grammar, TokenVocabulary.For(tokenizer), ToolCallFormat.Hermes, required: false);

        var result = Generate(generator, constraint, 151645, 24, 1);

        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(24, result.Tokens.Count);
        Assert.Null(constraint.CallJson);
    }

    [Fact]
    public void In_auto_mode_a_llama_reply_that_opens_a_brace_becomes_a_call()
    {
        var format = ToolCallFormat.LlamaJson;
        var tokenizer = RealTokenizers.Get("llama3");
        var grammar = ToolCallGrammar.Build(Definitions(), format.ArgumentsKey);
        using var generator = Open(tokenizer, 128009);
        var constraint = new ToolCallConstraint(grammar, TokenVocabulary.For(tokenizer), format, required: false);

        var result = Generate(generator, new ForcedStart(constraint, tokenizer.Encode("{\"", addSpecialTokens: false)), 128009, 200, 4);
        var text = tokenizer.Decode([.. result.Tokens]);

        Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
        Assert.Equal(text, constraint.CallJson);
        Assert.Contains(ToolCall.Parse(text, format).Name, ToolCallGrammarTests.Tools.Select(t => t.Name));
    }

    [Fact]
    public void A_token_running_past_the_trigger_is_masked_so_the_call_starts_on_a_token_boundary()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var vocabulary = TokenVocabulary.For(tokenizer);
        var constraint = new ToolCallConstraint(ToolCallGrammar.Build(Definitions()), vocabulary, ToolCallFormat.Hermes, required: false);
        foreach (var id in tokenizer.Encode("ok <tool_call", addSpecialTokens: false))
        {
            constraint.Accept(id);
        }

        var logits = new float[tokenizer.VocabularySize];
        var masked = constraint.Mask(logits, 100).ToArray();

        var running = Enumerable.Range(0, tokenizer.VocabularySize).Where(id => tokenizer.TokenBytes(id) is [(byte)'>', _, ..]).ToList();
        Assert.NotEmpty(running);
        Assert.All(running, id => Assert.Equal(float.NegativeInfinity, masked[id]));
        Assert.Equal(0, masked[tokenizer.Encode(">", addSpecialTokens: false)[^1]]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Free_text_and_calls_allocate_no_managed_memory_per_token(bool required)
    {
        var tokenizer = RealTokenizers.Get("llama2");
        using var generator = Open(tokenizer, 2);
        var allocated = new long[48];
        var count = 0;
        bool Record(int token)
        {
            allocated[count++] = GC.GetAllocatedBytesForCurrentThread();
            return true;
        }

        GenerationResult Run(TokenCallback? onToken) => generator.Generate([1, 2, 3], new GenerationOptions
        {
            MaxNewTokens = allocated.Length,
            StopTokenIds = [2],
            Sampling = new SamplerSettings { Temperature = 1, Seed = 5 },
            Constraint = new ToolCallConstraint(ToolCallGrammar.Build(Definitions()), TokenVocabulary.For(tokenizer), ToolCallFormat.Hermes, required),
        }, onToken);

        // Steady state: the same request once before, so the grammar states it visits are compiled and cached (the
        // vocabulary's caches are shared, and which states other tests warmed first depends on their order).
        Run(null);
        var result = Run(Record);

        Assert.True(count > 12, $"only {count} tokens: {tokenizer.Decode([.. result.Tokens])}");
        Assert.Equal(0, allocated[count - 1] - allocated[2]);
    }

    [Fact]
    public void The_family_table_knows_the_real_templates()
    {
        string Template(string package) => Appliance.Inference.Templates.TokenizerChatConfig.Load(
            Templates.ChatTemplateSuites.TokenizerConfigPath(package)).RequireTemplate().Source;

        Assert.Same(ToolCallFormat.Hermes, ToolCallFormat.ForTemplate(Template("qwen3")));
        Assert.Null(ToolCallFormat.ForTemplate(Template("llama3")));
        Assert.Null(ToolCallFormat.ForTemplate(Template("gemma3")));

        // Llama 3.1/3.2 templates (not among the npm packages) mark code calls with <|python_tag|> and describe the JSON form.
        Assert.Same(ToolCallFormat.LlamaJson, ToolCallFormat.ForTemplate("{{- '<|python_tag|>' + tool_call.name }}"));
        Assert.Same(ToolCallFormat.LlamaJson, ToolCallFormat.ForTemplate("{\"name\": function name, \"parameters\": dictionary of argument name and its value}"));
    }

    private static ToolCallFormat Format(string name) => name == ToolCallFormat.Hermes.Name ? ToolCallFormat.Hermes : ToolCallFormat.LlamaJson;

    private static GenerationResult Generate(Generator generator, ITokenConstraint constraint, int endOfSequence, int maxTokens, int seed) =>
        generator.Generate([1, 7, 9], new GenerationOptions
        {
            MaxNewTokens = maxTokens,
            StopTokenIds = [endOfSequence],
            Sampling = new SamplerSettings { Temperature = 1, Seed = (ulong)seed },
            Constraint = constraint,
        });

    private List<ToolDefinition> Definitions()
    {
        var documents = ToolCallGrammarTests.Tools.Select(t => JsonDocument.Parse(t.Parameters)).ToList();
        _documents.AddRange(documents);
        return [.. ToolCallGrammarTests.Tools.Select((t, i) => new ToolDefinition(t.Name, documents[i].RootElement))];
    }

    private Generator Open(Tokenizer tokenizer, int endOfSequence)
    {
        var path = _directory.Combine($"model-{tokenizer.VocabularySize}");
        Directory.CreateDirectory(path);
        new ToyDecoder { VocabSize = tokenizer.VocabularySize, MaxLength = 320, EosTokenIds = [endOfSequence], Seed = 5 }.Write(path);
        return Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
    }

    /// <summary>Makes the model write <paramref name="start"/> first (as if it chose to), then leaves the rest to the inner constraint.</summary>
    private sealed class ForcedStart(ITokenConstraint inner, int[] start) : ITokenConstraint
    {
        private readonly float[] _masked = new float[200_000];
        private int _at;

        public bool IsComplete => _at >= start.Length && inner.IsComplete;

        public bool IsFinished => _at >= start.Length && inner.IsFinished;

        public void Begin(ReadOnlySpan<int> stopTokens)
        {
            _at = 0;
            inner.Begin(stopTokens);
        }

        public ReadOnlySpan<float> Mask(ReadOnlySpan<float> logits, int tokensLeft)
        {
            if (_at >= start.Length)
            {
                return inner.Mask(logits, tokensLeft);
            }

            var masked = _masked.AsSpan(0, logits.Length);
            masked.Fill(float.NegativeInfinity);
            masked[start[_at]] = 0;
            return masked;
        }

        public void Accept(int tokenId)
        {
            _at++;
            inner.Accept(tokenId);
        }
    }
}
