using System.Text;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Structured;
using Appliance.Inference.Tests.Generation;
using Appliance.Inference.Tests.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Structured;

/// <summary>Masking token by token over real vocabularies, without a model where the logits do not matter.</summary>
public sealed class JsonConstraintTests : IDisposable
{
    private readonly TempDirectory _directory = new("structured-constraint");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Token_bytes_follow_each_decoder()
    {
        var llama2 = RealTokenizers.Get("llama2");
        Assert.Equal(" the"u8.ToArray(), llama2.TokenBytes(llama2.TokenToId("▁the")!.Value));
        Assert.Equal([0x22], llama2.TokenBytes(llama2.TokenToId("<0x22>")!.Value));
        Assert.Null(llama2.TokenBytes(llama2.TokenToId("</s>")!.Value));

        var qwen3 = RealTokenizers.Get("qwen3");
        Assert.Equal(" the"u8.ToArray(), qwen3.TokenBytes(qwen3.TokenToId("Ġthe")!.Value));
        Assert.Equal([0xE6], qwen3.TokenBytes(qwen3.TokenToId("æ")!.Value));
        Assert.Null(qwen3.TokenBytes(qwen3.TokenToId("<|im_end|>")!.Value));
    }

    [Theory]
    [InlineData("llama2", 2)]
    [InlineData("qwen3", 151645)]
    public void Stop_tokens_are_allowed_only_where_the_value_is_complete(string name, int stop)
    {
        var tokenizer = RealTokenizers.Get(name);
        var constraint = new JsonConstraint(JsonGrammar.FromSchema("""{"type":"array","items":{"type":"integer"},"maxItems":1}"""), TokenVocabulary.For(tokenizer));
        var logits = new float[tokenizer.VocabularySize];
        constraint.Begin([stop]);

        Assert.True(float.IsNegativeInfinity(constraint.Mask(logits, 100)[stop]));
        Feed(constraint, tokenizer, "[12");
        var masked = constraint.Mask(logits, 100);
        Assert.True(float.IsNegativeInfinity(masked[stop]));
        Assert.False(float.IsNegativeInfinity(masked[Single(tokenizer, "]")]));
        Assert.False(float.IsNegativeInfinity(masked[Single(tokenizer, "3")]));
        Assert.True(float.IsNegativeInfinity(masked[Single(tokenizer, ",")]));
        Feed(constraint, tokenizer, "]");

        Assert.True(constraint.IsComplete && constraint.IsFinished);
        masked = constraint.Mask(logits, 100);
        Assert.Equal(0, masked[stop]);
        Assert.Equal(1, masked.ToArray().Count(l => !float.IsNegativeInfinity(l)));
    }

    [Fact]
    public void A_long_value_keeps_matching_after_the_matcher_compacts_its_frames()
    {
        // Thousands of bytes push the frame arena past half full many times; the state must survive each compaction.
        var tokenizer = RealTokenizers.Get("llama2");
        var grammar = JsonGrammar.FromSchema("""{"type":"array","items":{"type":"object","properties":{"k":{"type":"string","maxLength":300}},"required":["k"],"additionalProperties":false}}""");
        var constraint = new JsonConstraint(grammar, TokenVocabulary.For(tokenizer));
        var logits = new float[tokenizer.VocabularySize];
        constraint.Begin([2]);
        var text = "[" + string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"k":"{{new string((char)('a' + (i % 26)), 200)}}"}""")) + "]";

        for (var i = 0; i < text.Length; i++)
        {
            if (i % 97 == 0)
            {
                var masked = constraint.Mask(logits, 100_000);
                Assert.False(float.IsNegativeInfinity(masked[Single(tokenizer, text[i..(i + 1)])]), $"byte {i} of {text.Length} was masked");
            }

            Feed(constraint, tokenizer, text[i..(i + 1)]);
        }

        Assert.True(constraint.IsComplete && constraint.IsFinished);
        Assert.Equal(0, constraint.MinBytesToComplete);
    }

    [Fact]
    public void A_token_the_mask_refused_cannot_be_accepted()
    {
        var tokenizer = RealTokenizers.Get("qwen3");
        var constraint = new JsonConstraint(JsonGrammar.FromSchema("""{"type":"boolean"}"""), TokenVocabulary.For(tokenizer));
        constraint.Begin([151645]);

        Assert.Throws<InvalidOperationException>(() => constraint.Accept(Single(tokenizer, "{")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void When_the_budget_runs_short_only_shortest_completions_stay(int slack)
    {
        // Uniform logits: without the budget rule a random walk through an open string would rarely close it.
        var tokenizer = RealTokenizers.Get("llama2");
        var grammar = JsonGrammar.FromSchema("""{"type":"object","properties":{"note":{"type":"string"},"n":{"type":"integer","minimum":1000}},"required":["note","n"],"additionalProperties":false}""");
        var constraint = new JsonConstraint(grammar, TokenVocabulary.For(tokenizer));
        var sampler = new Sampler(tokenizer.VocabularySize, new SamplerSettings { Temperature = 1, Seed = (ulong)slack });
        var logits = new float[tokenizer.VocabularySize];
        var limit = grammar.MinLength + slack;
        constraint.Begin([2]);
        var ids = new List<int>();
        for (var left = limit; left > 0 && !constraint.IsFinished; left--)
        {
            var token = sampler.Sample(constraint.Mask(logits, left));
            if (token == 2)
            {
                break;
            }

            constraint.Accept(token);
            ids.Add(token);
        }

        Assert.True(constraint.IsComplete, tokenizer.Decode([.. ids]));
        Assert.True(grammar.Matches(Encoding.UTF8.GetBytes(tokenizer.Decode([.. ids]))));
        Assert.True(ids.Count <= limit);
    }

    [Fact]
    public void Constrained_decoding_allocates_no_managed_memory_per_token()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var path = _directory.Combine("model");
        Directory.CreateDirectory(path);
        new ToyDecoder { VocabSize = tokenizer.VocabularySize, MaxLength = 64, EosTokenIds = [2] }.Write(path);
        using var generator = Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
        var options = new GenerationOptions
        {
            MaxNewTokens = 40,
            StopTokenIds = [2],
            Sampling = new SamplerSettings { Temperature = 1, Seed = 5 },
            Constraint = new JsonConstraint(JsonGrammar.AnyObject, TokenVocabulary.For(tokenizer)),
        };
        var allocated = new long[options.MaxNewTokens];
        var count = 0;
        bool Record(int token)
        {
            allocated[count++] = GC.GetAllocatedBytesForCurrentThread();
            return true;
        }

        var result = generator.Generate([1, 2, 3], options, Record);

        Assert.True(count > 8, $"only {count} tokens: {tokenizer.Decode([.. result.Tokens])}");
        Assert.Equal(0, allocated[count - 1] - allocated[2]);
    }

    [Fact]
    public void Generation_that_ends_complete_at_the_limit_is_a_stop_and_one_that_cannot_is_a_length()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var path = _directory.Combine("limit");
        Directory.CreateDirectory(path);
        new ToyDecoder { VocabSize = tokenizer.VocabularySize, MaxLength = 64, EosTokenIds = [2] }.Write(path);
        using var generator = Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
        var grammar = JsonGrammar.FromSchema("""{"type":"object","properties":{"word":{"type":"string","minLength":8}},"required":["word"],"additionalProperties":false}""");
        GenerationResult Run(int maxTokens) => generator.Generate([1, 5], new GenerationOptions
        {
            MaxNewTokens = maxTokens,
            StopTokenIds = [2],
            Sampling = new SamplerSettings { Temperature = 1, Seed = 9 },
            Constraint = new JsonConstraint(grammar, TokenVocabulary.For(tokenizer)),
        });

        var enough = Run(grammar.MinLength);
        Assert.Equal(FinishReason.EndOfSequence, enough.FinishReason);
        Assert.True(grammar.Matches(Encoding.UTF8.GetBytes(tokenizer.Decode([.. enough.Tokens]))));

        var tooFew = Run(3);
        Assert.Equal(FinishReason.Length, tooFew.FinishReason);
        Assert.Equal(3, tooFew.Tokens.Count);
    }

    private static void Feed(JsonConstraint constraint, Appliance.Inference.Tokenization.Tokenizer tokenizer, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            constraint.Accept(ByteToken(tokenizer, b));
        }
    }

    private static int Single(Appliance.Inference.Tokenization.Tokenizer tokenizer, string text) => ByteToken(tokenizer, Encoding.UTF8.GetBytes(text)[0]);

    /// <summary>The token whose bytes are exactly <paramref name="b"/> (every byte has one in these vocabularies).</summary>
    private static int ByteToken(Appliance.Inference.Tokenization.Tokenizer tokenizer, byte b)
    {
        for (var id = 0; id < tokenizer.VocabularySize; id++)
        {
            if (tokenizer.TokenBytes(id) is [var only] && only == b)
            {
                return id;
            }
        }

        throw new InvalidOperationException($"no token for byte {b}");
    }
}
