namespace Appliance.Inference.Tokenization;

/// <summary>A literal string pattern.</summary>
internal sealed class LiteralSplitPattern(string literal) : SplitPattern
{
    public override bool TryFind(ReadOnlySpan<char> text, int start, out int matchStart, out int matchEnd)
    {
        var at = literal.Length == 0 ? -1 : text[start..].IndexOf(literal, StringComparison.Ordinal);
        matchStart = at < 0 ? 0 : start + at;
        matchEnd = at < 0 ? 0 : matchStart + literal.Length;
        return at >= 0;
    }
}
