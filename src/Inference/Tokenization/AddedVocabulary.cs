namespace Appliance.Inference.Tokenization;

/// <summary>
/// The added tokens and how text is cut around them: raw-text matches first, then matches of normalized tokens in
/// each normalized piece. lstrip/rstrip trim the whitespace of the neighbouring pieces, as the reference does.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Dictionary<string, AddedToken> _byContent;
    private readonly Dictionary<string, AddedToken>.AlternateLookup<ReadOnlySpan<char>> _byContentSpan;
    private readonly AddedTokenMatcher _rawMatcher;
    private readonly AddedTokenMatcher _normalizedMatcher;

    /// <param name="tokens">In file order.</param>
    /// <param name="normalize">The tokenizer's normalizer as a function, or null when there is none.</param>
    public AddedVocabulary(IReadOnlyList<AddedToken> tokens, Func<string, string>? normalize)
    {
        Tokens = tokens;
        _byContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        var raw = new List<(string, AddedToken)>();
        var normalized = new List<(string, AddedToken)>();
        foreach (var token in tokens)
        {
            _byContent[token.Content] = token;
            if (token.Normalized && normalize is not null)
            {
                var content = normalize(token.Content);
                _byContent[content] = token;
                normalized.Add((content, token));
            }
            else
            {
                raw.Add((token.Content, token));
            }
        }

        _byContentSpan = _byContent.GetAlternateLookup<ReadOnlySpan<char>>();
        _rawMatcher = new AddedTokenMatcher(raw);
        _normalizedMatcher = new AddedTokenMatcher(normalized);
    }

    public IReadOnlyList<AddedToken> Tokens { get; }

    public bool HasNormalizedTokens => !_normalizedMatcher.IsEmpty;

    /// <param name="literal">Ranges of <paramref name="text"/> in which special tokens are plain text.</param>
    public void SplitRaw(ReadOnlySpan<char> text, List<TextSection> sections, IReadOnlyList<Range>? literal) => Split(_rawMatcher, text, sections, literal);

    /// <param name="literal">Ranges of the normalized <paramref name="text"/> in which special tokens are plain text.</param>
    public void SplitNormalized(ReadOnlySpan<char> text, List<TextSection> sections, IReadOnlyList<Range>? literal) => Split(_normalizedMatcher, text, sections, literal);

    /// <summary>
    /// The added token a section stands for, if any. Text between matches is a token only by its content, and not at
    /// all when <paramref name="matchesOnly"/> (the text was split with literal ranges, whose special tokens stay text).
    /// </summary>
    public bool TryGetToken(ReadOnlySpan<char> text, TextSection section, bool matchesOnly, out AddedToken token)
    {
        if (section.Length > 0 && (section.FromMatch || !matchesOnly) && _byContentSpan.TryGetValue(text[section.Start..section.End], out token!))
        {
            // A single_word token rejected by the matcher stays text, even when the text equals it.
            return section.FromMatch || !token.SingleWord;
        }

        token = null!;
        return false;
    }

    private void Split(AddedTokenMatcher matcher, ReadOnlySpan<char> text, List<TextSection> sections, IReadOnlyList<Range>? literal)
    {
        sections.Clear();
        if (matcher.IsEmpty)
        {
            sections.Add(new TextSection(0, text.Length, FromMatch: false));
            return;
        }

        matcher.Split(text, sections, literal);
        for (var i = 0; i < sections.Count; i++)
        {
            if (!TryGetToken(text, sections[i], literal is not null, out var token))
            {
                continue;
            }

            if (token.LStrip && i > 0)
            {
                var previous = sections[i - 1];
                sections[i - 1] = previous with { End = UnicodeText.TrimWhiteSpaceEnd(text, previous.Start, previous.End) };
            }

            if (token.RStrip && i < sections.Count - 1)
            {
                var next = sections[i + 1];
                sections[i + 1] = next with { Start = UnicodeText.SkipWhiteSpace(text, next.Start, next.End) };
            }
        }
    }
}
