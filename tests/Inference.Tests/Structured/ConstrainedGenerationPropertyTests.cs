using System.Text.Json;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Structured;
using Appliance.Inference.Tests.Generation;
using Appliance.Inference.Tests.Tokenization;
using Appliance.TestSupport;
using Json.Schema;

namespace Appliance.Inference.Tests.Structured;

/// <summary>
/// The property that matters: a random-weight model (it has no idea of JSON) sampling at temperature 1 under the
/// constraint always produces output that parses and validates against its schema, checked by an independent
/// validator (JsonSchema.Net). Real tokenizers of both kinds: Llama 2's SentencePiece with byte fallback (32k) and
/// Qwen3's byte-level BPE (151k). Token limits vary per seed, so the budget rule is exercised down to limits that
/// leave exactly room for the shortest completion.
/// </summary>
public sealed class ConstrainedGenerationPropertyTests : IDisposable
{
    private const int Seeds = 20;
    private readonly TempDirectory _directory = new("structured-property");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("llama2", 2)]
    [InlineData("qwen3", 151645)]
    public void Every_output_parses_and_validates(string tokenizerName, int endOfSequence)
    {
        var tokenizer = RealTokenizers.Get(tokenizerName);
        var vocabulary = TokenVocabulary.For(tokenizer);
        using var generator = Open(new ToyDecoder { VocabSize = tokenizer.VocabularySize, MaxLength = 200, EosTokenIds = [endOfSequence], Seed = 11 });
        var failures = new List<string>();
        var checkedOutputs = 0;
        for (var s = 0; s < SchemaCorpus.Schemas.Count; s++)
        {
            var schemaText = SchemaCorpus.Schemas[s];
            var grammar = JsonGrammar.FromSchema(schemaText);
            var validator = JsonSchema.FromText(schemaText);
            for (var seed = 0; seed < Seeds; seed++)
            {
                // Limits from just the shortest value's length up to roomy ones.
                var maxTokens = Math.Max(grammar.MinLength, 1) + (seed * 7 % 60);
                var constraint = new JsonConstraint(grammar, vocabulary);
                var result = generator.Generate([1, 5, 9], new GenerationOptions
                {
                    MaxNewTokens = maxTokens,
                    StopTokenIds = [endOfSequence],
                    Sampling = new SamplerSettings { Temperature = 1.0, Seed = (ulong)((s * 1000) + seed) },
                    Constraint = constraint,
                });
                var text = tokenizer.Decode([.. result.Tokens]);
                checkedOutputs++;
                if (result.FinishReason != FinishReason.EndOfSequence)
                {
                    failures.Add($"schema {s} seed {seed}: ended by {result.FinishReason} after {result.Tokens.Count}/{maxTokens} tokens: {text}");
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(text);
                    if (!validator.Evaluate(document.RootElement).IsValid)
                    {
                        failures.Add($"schema {s} seed {seed}: invalid: {text}");
                    }
                }
                catch (JsonException e)
                {
                    failures.Add($"schema {s} seed {seed}: does not parse ({e.Message}): {text}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedOutputs} outputs failed:\n" + string.Join('\n', failures.Take(20)));
        Assert.Equal(SchemaCorpus.Schemas.Count * Seeds, checkedOutputs);
    }

    private Generator Open(ToyDecoder spec)
    {
        var path = _directory.Combine("model");
        Directory.CreateDirectory(path);
        spec.Write(path);
        return Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
    }
}
