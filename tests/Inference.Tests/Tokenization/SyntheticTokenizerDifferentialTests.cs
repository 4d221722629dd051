using System.Text.Json.Nodes;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Components the real tokenizer files do not exercise, checked against the reference on small synthetic
/// tokenizers: GPT-2 byte-level pre-tokenization, TemplateProcessing with BOS and EOS, lstrip/rstrip and normalized
/// added tokens, NFD, Metaspace, unknown tokens with fuse_unk, byte fallback with ignore_merges, per-token and output
/// Strip, clean-up of tokenization spaces, and no decoder at all.
/// </summary>
public sealed class SyntheticTokenizerDifferentialTests
{
    private const int TextCount = 500;
    private const int IdListCount = 300;

    private static readonly string Corpus = new MixedTextGenerator(seed: 11).Corpus(20_000);

    [Fact]
    public void Gpt2_style_byte_level_with_template_and_stripping_added_tokens()
    {
        var synthetic = new SyntheticTokenizer
        {
            PreTokenizer = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            Decoder = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            Config = new JsonObject { ["clean_up_tokenization_spaces"] = true, ["additional_special_tokens"] = new JsonArray("<|rstrip|>") },
        }.LearnByteLevel(Corpus, merges: 300);
        var bos = synthetic.AddToken("<|bos|>", special: true);
        var eos = synthetic.AddToken("<|eos|>", special: true);
        synthetic.AddToken("<|lstrip|>", special: true, lstrip: true);
        synthetic.AddToken("<|rstrip|>", special: false, rstrip: true);
        synthetic.AddToken("hello world", special: false, normalized: true);
        synthetic.PostProcessor = Template(("<|bos|>", bos), ("<|eos|>", eos));

        // The reference splits ByteLevel's built-in regex with JavaScript's own \s, which takes in U+FEFF and leaves
        // out U+0085, unlike the Rust crate (White_Space), which we follow. Texts here avoid those two.
        AssertMatchesReference(
            synthetic,
            text => text.Replace("\uFEFF", "", StringComparison.Ordinal).Replace("\u0085", "", StringComparison.Ordinal),
            "<|bos|>", "<|eos|>", "<|lstrip|>", "  \t<|lstrip|>", "<|rstrip|>", "<|rstrip|> \n x", "hello world", "hello  world");
    }

    [Fact]
    public void Metaspace_with_nfd_unknown_tokens_and_normalized_added_tokens()
    {
        var synthetic = new SyntheticTokenizer
        {
            Normalizer = new JsonObject { ["type"] = "NFD" },
            PreTokenizer = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = false },
            Decoder = Sequence(
                new JsonObject { ["type"] = "Strip", ["content"] = "▁", ["start"] = 0, ["stop"] = 1 },
                new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = false }),
            Config = new JsonObject { ["clean_up_tokenization_spaces"] = false },
            PairMerges = true,
        }.LearnCharacters(Corpus, keep: s => s[0] < 0x250 || s[0] is >= '\u0300' and <= '\u036F' || s == "▁", merges: 200, byteTokens: false);
        synthetic.Model["unk_token"] = "<unk>";
        synthetic.Model["fuse_unk"] = true;
        synthetic.AddToken("<unk>", special: true);
        synthetic.AddToken("<sep>", special: true);
        synthetic.AddToken("<é>", special: false, normalized: true);
        synthetic.AddToken("[ab]", special: false, lstrip: true, rstrip: true);

        AssertMatchesReference(synthetic, text => text, "<sep>", "<é>", "<e\u0301>", "[ab]", "  [ab]  ", "<unk>");
    }

    [Fact]
    public void Byte_fallback_with_prepend_ignore_merges_and_output_strip()
    {
        var synthetic = new SyntheticTokenizer
        {
            Normalizer = Sequence("normalizers",
                new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            Decoder = Sequence(
                new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                new JsonObject { ["type"] = "ByteFallback" },
                new JsonObject { ["type"] = "Fuse" },
                new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 1 }),
            Config = new JsonObject { ["clean_up_tokenization_spaces"] = true },
        }.LearnCharacters(Corpus, keep: s => s[0] < 0x80 || s == "▁", merges: 200, byteTokens: true);
        synthetic.Model["unk_token"] = "<unk>";
        synthetic.Model["fuse_unk"] = true;
        synthetic.Model["byte_fallback"] = true;
        synthetic.Model["ignore_merges"] = true;
        synthetic.AddToken("<unk>", special: true);
        var start = synthetic.AddToken("<s>", special: true);
        var end = synthetic.AddToken("</s>", special: true);
        synthetic.AddToken("<|x|>", special: false, rstrip: true);
        synthetic.PostProcessor = Sequence("processors", Template(("<s>", start), null), Template(null, ("</s>", end)));

        AssertMatchesReference(synthetic, text => text, "<s>", "</s>", "<unk>", "<|x|>", "<|x|>  \t y");
    }

    [Fact]
    public void Split_pre_tokenizers_and_no_decoder()
    {
        var synthetic = new SyntheticTokenizer
        {
            PreTokenizer = Sequence("pretokenizers",
                new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = " " }, ["behavior"] = "Isolated", ["invert"] = false },
                new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = WordSplitPatternText }, ["behavior"] = "Isolated", ["invert"] = false }),
        }.LearnCharacters(Corpus, keep: s => char.IsLetterOrDigit(s, 0) || s == "▁", merges: 150, byteTokens: false);

        AssertMatchesReference(synthetic, text => text);
    }

    private const string WordSplitPatternText = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <param name="synthetic">The tokenizer to write and compare.</param>
    /// <param name="adjustText">Rewrites each generated text (to steer clear of a known reference quirk).</param>
    /// <param name="embedded">Strings (usually the added tokens) to put at random places in the texts.</param>
    private static void AssertMatchesReference(SyntheticTokenizer synthetic, Func<string, string> adjustText, params string[] embedded)
    {
        using var directory = new TempDirectory("synthetic-tokenizer");
        var (tokenizerJson, tokenizerConfig) = synthetic.Write(directory.Path);
        var tokenizer = Tokenizer.Load(tokenizerJson, tokenizerConfig);
        var generator = new MixedTextGenerator(seed: 5);
        var random = new Random(5);
        var texts = Enumerable.Range(0, TextCount).Select(_ => adjustText(Embed(generator.Next(), embedded, random))).ToList();
        var idLists = TokenizerDifferentialTests.RandomIdLists(tokenizer, new Random(5), IdListCount);

        var reference = ReferenceTokenizer.Run(tokenizerJson, tokenizerConfig, texts, idLists);
        var comparison = TokenizerComparison.Run(tokenizer, texts, idLists, reference);

        Assert.True(comparison.Failures == 0, $"{comparison.Failures} differences from the reference. First ones:\n{comparison.Report}");
    }

    private static string Embed(string text, string[] embedded, Random random)
    {
        for (var n = embedded.Length == 0 ? 0 : random.Next(0, 4); n > 0; n--)
        {
            // Never between the halves of a surrogate pair.
            var at = random.Next(text.Length + 1);
            if (at < text.Length && char.IsLowSurrogate(text[at]))
            {
                at--;
            }

            text = text.Insert(at, embedded[random.Next(embedded.Length)]);
        }

        return text;
    }

    private static JsonObject Sequence(params JsonNode[] decoders) => Sequence("decoders", decoders);

    private static JsonObject Sequence(string listName, params JsonNode[] items) =>
        new() { ["type"] = "Sequence", [listName] = new JsonArray([.. items]) };

    /// <summary>A TemplateProcessing post-processor: [before] A [after] (the pair template mirrors it).</summary>
    private static JsonObject Template((string Name, int Id)? before, (string Name, int Id)? after)
    {
        var single = new JsonArray();
        var specials = new JsonObject();
        if (before is { } b)
        {
            single.Add(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = b.Name, ["type_id"] = 0 } });
            specials[b.Name] = new JsonObject { ["id"] = b.Name, ["ids"] = new JsonArray(b.Id), ["tokens"] = new JsonArray(b.Name) };
        }

        single.Add(new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } });
        if (after is { } a)
        {
            single.Add(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = a.Name, ["type_id"] = 0 } });
            specials[a.Name] = new JsonObject { ["id"] = a.Name, ["ids"] = new JsonArray(a.Id), ["tokens"] = new JsonArray(a.Name) };
        }

        return new JsonObject { ["type"] = "TemplateProcessing", ["single"] = single, ["pair"] = single.DeepClone(), ["special_tokens"] = specials };
    }
}
