using System.Text.Json.Nodes;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Loading: what the files say is honoured (special tokens, single_word), and anything we do not implement is
/// refused with a message naming the file, the field and the value, never approximated.
/// </summary>
public sealed class TokenizerLoadingTests
{
    [Fact]
    public void Special_tokens_are_added_around_the_text_only_when_asked()
    {
        var tokenizer = RealTokenizers.Get("gemma3");
        var without = tokenizer.Encode("Hello", addSpecialTokens: false);

        Assert.Equal([2, .. without], tokenizer.Encode("Hello"));
        Assert.Equal(2, tokenizer.TokenToId("<bos>"));
        Assert.Equal("<bos>", tokenizer.IdToToken(2));
        Assert.True(tokenizer.IsSpecialToken(2));
        Assert.False(tokenizer.IsSpecialToken(without[0]));
    }

    [Fact]
    public void A_single_word_added_token_only_matches_a_whole_word()
    {
        using var directory = new TempDirectory("single-word");
        var synthetic = new SyntheticTokenizer().LearnCharacters("go going ago on", _ => true, merges: 0, byteTokens: false);
        var go = synthetic.AddToken("go", special: false, normalized: false, singleWord: true);
        var tokenizer = Tokenizer.Load(synthetic.Write(directory.Path).TokenizerJson);

        Assert.Contains(go, tokenizer.Encode("go on"));
        Assert.Contains(go, tokenizer.Encode("on, go!"));
        Assert.DoesNotContain(go, tokenizer.Encode("going"));
        Assert.DoesNotContain(go, tokenizer.Encode("ago"));
    }

    [Theory]
    [InlineData("model", "type", "\"WordPiece\"", "model type 'WordPiece'")]
    [InlineData("model", "dropout", "0.1", "dropout 0.1")]
    [InlineData("model", "end_of_word_suffix", "\"</w>\"", "end_of_word_suffix '</w>'")]
    [InlineData(null, "normalizer", "{\"type\": \"Lowercase\"}", "normalizer type 'Lowercase'")]
    [InlineData(null, "normalizer", "{\"type\": \"Replace\", \"pattern\": {\"Regex\": \" +\"}, \"content\": \" \"}", "Regex pattern ' +'")]
    [InlineData(null, "pre_tokenizer", "{\"type\": \"Whitespace\"}", "pre-tokenizer type 'Whitespace'")]
    [InlineData(null, "pre_tokenizer", "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\w+\"}, \"behavior\": \"Isolated\", \"invert\": false}", "regex '\\w+'")]
    [InlineData(null, "pre_tokenizer", "{\"type\": \"Split\", \"pattern\": {\"String\": \" \"}, \"behavior\": \"Isolated\", \"invert\": true}", "invert: true")]
    [InlineData(null, "post_processor", "{\"type\": \"RobertaProcessing\"}", "post-processor type 'RobertaProcessing'")]
    [InlineData(null, "decoder", "{\"type\": \"WordPiece\"}", "decoder type 'WordPiece'")]
    [InlineData(null, "decoder", "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Fuse\"}, {\"type\": \"ByteFallback\"}]}", "decoder 'ByteFallback' at this point")]
    [InlineData(null, "truncation", "{\"max_length\": 512}", "truncation")]
    public void Unsupported_components_and_options_are_refused_by_name(string? parent, string field, string json, string expected)
    {
        using var directory = new TempDirectory("unsupported");
        var path = new SyntheticTokenizer().LearnCharacters("ab", _ => true, merges: 1, byteTokens: false).Write(directory.Path).TokenizerJson;
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var target = parent is null ? root : root[parent]!.AsObject();
        target[field] = JsonNode.Parse(json);
        File.WriteAllText(path, root.ToJsonString());

        var error = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(path));

        Assert.StartsWith("tokenizer.json: $.", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_of_tokens_missing_from_the_vocabulary_is_refused()
    {
        using var directory = new TempDirectory("bad-merge");
        var path = new SyntheticTokenizer().LearnCharacters("ab", _ => true, merges: 0, byteTokens: false).Write(directory.Path).TokenizerJson;
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["model"]!["merges"] = new JsonArray("a b", "x y");
        File.WriteAllText(path, root.ToJsonString());

        var error = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(path));

        Assert.Contains("$.model.merges[0] needs 'ab'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_reported_with_file_and_line()
    {
        using var directory = new TempDirectory("malformed");
        var path = directory.Combine("tokenizer.json");
        File.WriteAllText(path, "{\n  \"model\": {\n    \"type\": \"BPE\",,\n}");

        var error = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_by_path()
    {
        using var directory = new TempDirectory("missing");

        var error = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromDirectory(directory.Path));

        Assert.Contains(directory.Combine("tokenizer.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_options_we_do_not_implement_are_refused()
    {
        using var directory = new TempDirectory("config");
        var path = directory.Combine("tokenizer_config.json");
        File.WriteAllText(path, "{\"remove_space\": true}");

        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerConfig.Read(path));

        Assert.Equal("tokenizer_config.json: $.remove_space: remove_space: true is not supported (supported: false).", error.Message);
    }

    [Fact]
    public void Config_supplies_clean_up_and_additional_special_tokens()
    {
        using var directory = new TempDirectory("config");
        var path = directory.Combine("tokenizer_config.json");
        File.WriteAllText(path, "{\"clean_up_tokenization_spaces\": false, \"additional_special_tokens\": [\"<a>\", {\"content\": \"<b>\"}]}");

        var config = TokenizerConfig.Read(path);

        Assert.False(config.CleanUpTokenizationSpaces);
        Assert.Equal(["<a>", "<b>"], config.AdditionalSpecialTokens);
    }
}
