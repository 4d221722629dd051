using System.Text.Json.Nodes;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>The streaming detokenizer: deltas add up to Decode, and text is only released once it is final.</summary>
public sealed class StreamingDetokenizerTests
{
    public static TheoryData<string> Names => RealTokenizers.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Deltas_add_up_to_the_decode_and_never_split_a_character(string name)
    {
        var tokenizer = RealTokenizers.Get(name);
        var generator = new MixedTextGenerator(seed: 31);
        var idLists = Enumerable.Range(0, 1500).Select(_ => tokenizer.Encode(generator.Next()))
            .Concat(TokenizerDifferentialTests.RandomIdLists(tokenizer, new Random(31), 500));
        foreach (var ids in idLists)
        {
            foreach (var skip in new[] { false, true })
            {
                var decoded = tokenizer.Decode(ids, skip);
                var deltas = Stream(tokenizer.CreateStreamingDetokenizer(skip), ids);
                Assert.Equal(decoded, string.Concat(deltas));
                foreach (var delta in deltas)
                {
                    Assert.True(IsWellFormed(delta), $"delta {TokenizerComparison.Show(delta)} splits a surrogate pair");
                    Assert.True(decoded.Contains('\uFFFD', StringComparison.Ordinal) || !delta.Contains('\uFFFD', StringComparison.Ordinal),
                        $"delta {TokenizerComparison.Show(delta)} shows a replacement character the full decode of {TokenizerComparison.Show(ids)} does not have");
                }
            }
        }
    }

    [Fact]
    public void A_byte_fallback_character_appears_with_its_last_byte()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var byteTokens = ByteTokensOf(tokenizer, "𝔾");
        Assert.Equal(4, byteTokens.Length);

        var deltas = Stream(tokenizer.CreateStreamingDetokenizer(), byteTokens);

        Assert.Equal(["", "", "", "𝔾", ""], deltas);
    }

    [Fact]
    public void A_byte_level_character_appears_with_its_last_byte()
    {
        var tokenizer = RealTokenizers.Get("llama3");
        var ids = tokenizer.Encode("𝔾", addSpecialTokens: false);
        Assert.True(ids.Length > 1, "expected the character to need several byte tokens");

        var deltas = Stream(tokenizer.CreateStreamingDetokenizer(), ids);

        Assert.Equal([.. Enumerable.Repeat("", ids.Length - 1), "𝔾", ""], deltas);
    }

    [Fact]
    public void A_space_before_punctuation_waits_for_the_clean_up()
    {
        var tokenizer = RealTokenizers.Get("llama3");
        var ids = tokenizer.Encode("Hello , world .", addSpecialTokens: false);

        var deltas = Stream(tokenizer.CreateStreamingDetokenizer(), ids);

        Assert.Equal(["Hello", ",", " world", ".", ""], deltas);
    }

    [Fact]
    public void A_strippable_trailing_space_is_held_until_text_follows_and_dropped_at_the_end()
    {
        using var directory = new TempDirectory("strip-decoder");
        var synthetic = new SyntheticTokenizer
        {
            Decoder = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 1 }),
            },
        };
        int[] ids = [synthetic.Add("▁a"), synthetic.Add("▁"), synthetic.Add("b"), synthetic.Add("▁")];
        var tokenizer = Tokenizer.Load(synthetic.Write(directory.Path).TokenizerJson);

        var deltas = Stream(tokenizer.CreateStreamingDetokenizer(), ids);

        Assert.Equal(["a", "", " b", "", ""], deltas);
    }

    [Fact]
    public void Skipped_special_tokens_give_no_text_and_finish_starts_a_new_stream()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var ids = tokenizer.Encode("Hi there");
        Assert.Equal(1, ids[0]);
        var detokenizer = tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: true);

        var first = Stream(detokenizer, ids);
        var second = Stream(detokenizer, ids);

        Assert.Equal("", first[0]);
        Assert.Equal("Hi there", string.Concat(first));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Reset_forgets_held_bytes()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        var byteTokens = ByteTokensOf(tokenizer, "𝔾");
        var detokenizer = tokenizer.CreateStreamingDetokenizer();
        detokenizer.Push(byteTokens[0]);

        detokenizer.Reset();

        Assert.Equal("Hi", string.Concat(Stream(detokenizer, tokenizer.Encode("Hi", addSpecialTokens: false))));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_refused()
    {
        var tokenizer = RealTokenizers.Get("qwen3");
        var detokenizer = tokenizer.CreateStreamingDetokenizer();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => detokenizer.Push(tokenizer.VocabularySize));
        Assert.Contains($"{tokenizer.VocabularySize}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([-1]));
    }

    internal static List<string> Stream(StreamingDetokenizer detokenizer, IEnumerable<int> ids)
    {
        var deltas = ids.Select(id => detokenizer.Push(id).ToString()).ToList();
        deltas.Add(detokenizer.Finish().ToString());
        return deltas;
    }

    private static int[] ByteTokensOf(Tokenizer tokenizer, string text) =>
        [.. tokenizer.Encode(text, addSpecialTokens: false).Where(id => tokenizer.IdToToken(id)!.StartsWith("<0x", StringComparison.Ordinal))];

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
