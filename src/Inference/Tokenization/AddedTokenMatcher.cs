namespace Appliance.Inference.Tokenization;

/// <summary>
/// Finds added tokens in text, leftmost-longest and non-overlapping, like the reference's trie splitter and the Rust
/// crate's Aho-Corasick automaton. A match of a single_word token touching a word character is discarded (Rust).
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<AddedToken?> _terminals = [null];
    private readonly ulong[] _firstChars = new ulong[65536 / 64];

    /// <param name="entries">Pattern text and the token it stands for; a later duplicate replaces an earlier one.</param>
    public AddedTokenMatcher(IEnumerable<(string Pattern, AddedToken Token)> entries)
    {
        foreach (var (pattern, token) in entries)
        {
            if (pattern.Length == 0)
            {
                continue;
            }

            _firstChars[pattern[0] >> 6] |= 1UL << (pattern[0] & 63);
            var node = 0;
            foreach (var c in pattern)
            {
                if (!_edges.TryGetValue(Key(node, c), out var child))
                {
                    child = _terminals.Count;
                    _terminals.Add(null);
                    _edges.Add(Key(node, c), child);
                }

                node = child;
            }

            _terminals[node] = token;
            IsEmpty = false;
        }
    }

    public bool IsEmpty { get; private set; } = true;

    /// <summary>
    /// Covers <paramref name="text"/> with sections: the matches and the (non-empty) text between them. A special token
    /// that overlaps one of the <paramref name="literal"/> ranges is not a match there: that text stays plain text.
    /// </summary>
    public void Split(ReadOnlySpan<char> text, List<TextSection> sections, IReadOnlyList<Range>? literal = null)
    {
        var sectionStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if ((_firstChars[c >> 6] & (1UL << (c & 63))) == 0)
            {
                i++;
                continue;
            }

            var (token, end) = LongestMatchAt(text, i);
            if (token is null)
            {
                i++;
                continue;
            }

            if (token.SingleWord && !StandsAlone(text, i, end))
            {
                i = end;
                continue;
            }

            if (token.Special && literal is not null && LiteralRanges.Overlap(literal, text.Length, i, end))
            {
                i++;
                continue;
            }

            if (i > sectionStart)
            {
                sections.Add(new TextSection(sectionStart, i, FromMatch: false));
            }

            sections.Add(new TextSection(i, end, FromMatch: true));
            i = sectionStart = end;
        }

        if (sectionStart < text.Length)
        {
            sections.Add(new TextSection(sectionStart, text.Length, FromMatch: false));
        }
    }

    private static long Key(int node, char c) => ((long)node << 16) | c;

    private static bool StandsAlone(ReadOnlySpan<char> text, int start, int end)
    {
        if (start > 0)
        {
            var before = char.IsLowSurrogate(text[start - 1]) && start > 1 && char.IsHighSurrogate(text[start - 2])
                ? char.ConvertToUtf32(text[start - 2], text[start - 1])
                : text[start - 1];
            if (UnicodeText.IsWordChar(before))
            {
                return false;
            }
        }

        return end == text.Length || !UnicodeText.IsWordChar(UnicodeText.CodePointAt(text, end, out _));
    }

    private (AddedToken? Token, int End) LongestMatchAt(ReadOnlySpan<char> text, int start)
    {
        AddedToken? best = null;
        var bestEnd = start;
        var node = 0;
        for (var j = start; j < text.Length && _edges.TryGetValue(Key(node, text[j]), out node); j++)
        {
            if (_terminals[node] is { } token)
            {
                best = token;
                bestEnd = j + 1;
            }
        }

        return (best, bestEnd);
    }
}
