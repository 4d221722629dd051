namespace Appliance.Inference.Tokenization;

/// <summary>What a Split pre-tokenizer searches for: matches found left to right, without overlaps.</summary>
internal abstract class SplitPattern
{
    /// <summary>
    /// Finds the first match starting at or after <paramref name="start"/>.
    /// Returns false when there is none; a match may be empty.
    /// </summary>
    public abstract bool TryFind(ReadOnlySpan<char> text, int start, out int matchStart, out int matchEnd);
}
