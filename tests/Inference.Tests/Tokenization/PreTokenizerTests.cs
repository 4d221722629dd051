using Appliance.Inference.Tokenization;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Pre-tokenizer behaviour where we follow the Rust crate rather than the reference JavaScript (which treats all
/// Split behaviours but Removed as Isolated, ignores Metaspace's split, and folds case in (?i:...) for ASCII only).
/// Expected pieces are the Rust crate's documented examples.
/// </summary>
public sealed class PreTokenizerTests
{
    [Theory]
    [InlineData("Removed", new[] { "the", "final", "countdown" })]
    [InlineData("Isolated", new[] { "the", "-", "final", "-", "-", "countdown" })]
    [InlineData("MergedWithPrevious", new[] { "the-", "final-", "-", "countdown" })]
    [InlineData("MergedWithNext", new[] { "the", "-final", "-", "-countdown" })]
    [InlineData("Contiguous", new[] { "the", "-", "final", "--", "countdown" })]
    public void Split_behaviours_match_the_rust_crate(string behavior, string[] expected)
    {
        var splitter = new SplitPreTokenizer(new LiteralSplitPattern("-"), Enum.Parse<SplitBehavior>(behavior));

        var pieces = PreTokenize(splitter, "the-final--countdown");

        Assert.Equal(expected, pieces);
    }

    [Theory]
    [InlineData("Hey friend!", new[] { "▁Hey", "▁friend!" })]
    [InlineData("Hey   friend!", new[] { "▁Hey", "▁", "▁", "▁friend!" })]
    public void Metaspace_with_split_cuts_before_each_replacement(string text, string[] expected)
    {
        var pieces = PreTokenize(new MetaspacePreTokenizer('▁', MetaspacePrependScheme.Always, split: true), text);

        Assert.Equal(expected, pieces);
    }

    [Fact]
    public void Metaspace_prepend_scheme_first_only_marks_the_start_of_the_text()
    {
        var preTokenizer = new MetaspacePreTokenizer('▁', MetaspacePrependScheme.First, split: false);

        Assert.Equal(["▁a▁b"], PreTokenize(preTokenizer, "a b", sectionIndex: 0));
        Assert.Equal(["a▁b"], PreTokenize(preTokenizer, "a b", sectionIndex: 2));
    }

    [Theory]
    [InlineData(WordSplitPattern.Cl100k, "I'M here", new[] { "I", "'M", " here" })]
    [InlineData(WordSplitPattern.Cl100k, "it'ſa", new[] { "it", "'ſ", "a" })]
    [InlineData(WordSplitPattern.Cl100k, "12345 x", new[] { "123", "45", " x" })]
    [InlineData(WordSplitPattern.Qwen2, "12345", new[] { "1", "2", "3", "4", "5" })]
    [InlineData(WordSplitPattern.Cl100k, "a  \n\n b", new[] { "a", "  \n\n", " b" })]
    [InlineData(WordSplitPattern.Cl100k, "x   y", new[] { "x", "  ", " y" })]
    [InlineData(WordSplitPattern.Cl100k, "(hello)\r\n", new[] { "(hello", ")\r\n" })]
    [InlineData(WordSplitPattern.Gpt2, "I'M here", new[] { "I", "'", "M", " here" })]
    [InlineData(WordSplitPattern.Gpt2, "a\u0085\u0085b", new[] { "a", "\u0085", "\u0085", "b" })]
    [InlineData(WordSplitPattern.Gpt2, " 42 !? ", new[] { " 42", " !?", " " })]
    public void Word_patterns_split_like_the_regex(string pattern, string text, string[] expected)
    {
        var splitter = new SplitPreTokenizer(WordSplitPattern.TryCreate(pattern)!, SplitBehavior.Isolated);

        Assert.Equal(expected, PreTokenize(splitter, text));
    }

    [Fact]
    public void Byte_level_rewrites_utf8_bytes_and_adds_the_prefix_space()
    {
        var pieces = PreTokenize(new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: true), "Hello é");

        Assert.Equal(["ĠHello", "ĠÃ©"], pieces);
    }

    private static List<string> PreTokenize(PreTokenizer preTokenizer, string text, int sectionIndex = 0)
    {
        var pieces = new PreTokenizedText();
        pieces.Reset(text, sectionIndex);
        preTokenizer.PreTokenize(pieces);
        return [.. Enumerable.Range(0, pieces.Count).Select(i => pieces.Piece(i).ToString())];
    }
}
