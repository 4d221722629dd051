using System.Runtime.CompilerServices;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// The word-splitting regexes of GPT-2, cl100k (Llama 3) and Qwen 2/3, implemented by hand: exact leftmost-first
/// regex semantics per code point, without a regex engine. Only these exact patterns are recognised.
/// </summary>
internal sealed class WordSplitPattern : SplitPattern
{
    /// <summary>GPT-2's pattern; also what the ByteLevel pre-tokenizer uses with use_regex.</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>tiktoken's cl100k pattern, used by Llama 3.</summary>
    public const string Cl100k =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen 2 and 3: cl100k with single digits.</summary>
    public const string Qwen2 =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly WordSplitPattern Gpt2Pattern = new(cl100kFamily: false, maxDigits: int.MaxValue);

    private readonly bool _cl100kFamily;
    private readonly int _maxDigits;

    private WordSplitPattern(bool cl100kFamily, int maxDigits)
    {
        _cl100kFamily = cl100kFamily;
        _maxDigits = maxDigits;
    }

    /// <summary>The matcher for <see cref="Gpt2"/>, <see cref="Cl100k"/> or <see cref="Qwen2"/>; null for any other pattern.</summary>
    public static WordSplitPattern? TryCreate(string pattern) => pattern switch
    {
        Gpt2 => Gpt2Pattern,
        Cl100k => new WordSplitPattern(cl100kFamily: true, maxDigits: 3),
        Qwen2 => new WordSplitPattern(cl100kFamily: true, maxDigits: 1),
        _ => null,
    };

    public override bool TryFind(ReadOnlySpan<char> text, int start, out int matchStart, out int matchEnd)
    {
        // Every code point starts a match of some alternative (it is a letter, a number, a space or other), so the
        // next match always starts right here and is never empty.
        matchStart = start;
        matchEnd = start >= text.Length ? start : _cl100kFamily ? MatchCl100k(text, start) : MatchGpt2(text, start);
        return matchEnd > start;
    }

    private static int MatchGpt2(ReadOnlySpan<char> s, int i)
    {
        var contraction = MatchContraction(s, i, ignoreCase: false);
        if (contraction > 0)
        {
            return contraction;
        }

        // " ?\p{L}+ | ?\p{N}+ | ?[^\s\p{L}\p{N}]+": the optional space only counts when a run follows it.
        var j = s[i] == ' ' && i + 1 < s.Length ? i + 1 : i;
        var cp = UnicodeText.CodePointAt(s, j, out var length);
        if (UnicodeText.IsLetter(cp))
        {
            return EndOfRun(s, j + length, CharClass.Letter);
        }

        if (UnicodeText.IsNumber(cp))
        {
            return EndOfRun(s, j + length, CharClass.Number);
        }

        if (!UnicodeText.IsWhiteSpace(cp))
        {
            return EndOfRun(s, j + length, CharClass.Other);
        }

        return MatchTrailingSpace(s, i);
    }

    private int MatchCl100k(ReadOnlySpan<char> s, int i)
    {
        var contraction = MatchContraction(s, i, ignoreCase: true);
        if (contraction > 0)
        {
            return contraction;
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        var c0 = UnicodeText.CodePointAt(s, i, out var length0);
        if (UnicodeText.IsLetter(c0))
        {
            return EndOfRun(s, i + length0, CharClass.Letter);
        }

        var isNumber = UnicodeText.IsNumber(c0);
        if (c0 is not '\r' and not '\n' && !isNumber && i + length0 < s.Length
            && UnicodeText.IsLetter(UnicodeText.CodePointAt(s, i + length0, out var length1)))
        {
            return EndOfRun(s, i + length0 + length1, CharClass.Letter);
        }

        // \p{N}{1,n}
        if (isNumber)
        {
            var end = i + length0;
            for (var digits = 1; digits < _maxDigits && end < s.Length; digits++)
            {
                var cp = UnicodeText.CodePointAt(s, end, out var length);
                if (!UnicodeText.IsNumber(cp))
                {
                    break;
                }

                end += length;
            }

            return end;
        }

        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var j = c0 == ' ' && i + 1 < s.Length ? i + 1 : i;
        var cj = UnicodeText.CodePointAt(s, j, out var lengthJ);
        if (UnicodeText.IsOther(cj))
        {
            var end = EndOfRun(s, j + lengthJ, CharClass.Other);
            while (end < s.Length && s[end] is '\r' or '\n')
            {
                end++;
            }

            return end;
        }

        // \s*[\r\n]+ : the whitespace run up to and including its last line break.
        var runEnd = EndOfRun(s, i, CharClass.Space);
        for (var k = runEnd - 1; k >= i; k--)
        {
            if (s[k] is '\r' or '\n')
            {
                return k + 1;
            }
        }

        return MatchTrailingSpace(s, i);
    }

    /// <summary>"\s+(?!\S)|\s+": a whitespace run, less its last char when a non-space follows and the run has two or more.</summary>
    private static int MatchTrailingSpace(ReadOnlySpan<char> s, int i)
    {
        var runEnd = EndOfRun(s, i, CharClass.Space);
        return runEnd < s.Length && runEnd - i >= 2 ? runEnd - 1 : runEnd;
    }

    /// <summary>'s 't 're 've 'm 'll 'd. Case-insensitive as Oniguruma folds: 'ſ' (U+017F) counts as an s.</summary>
    private static int MatchContraction(ReadOnlySpan<char> s, int i, bool ignoreCase)
    {
        if (s[i] != '\'' || i + 1 >= s.Length)
        {
            return 0;
        }

        var c1 = Fold(s[i + 1], ignoreCase);
        if (c1 is 's' or 't' or 'm' or 'd')
        {
            return i + 2;
        }

        if (i + 2 < s.Length)
        {
            var c2 = Fold(s[i + 2], ignoreCase);
            if ((c1 is 'r' or 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l'))
            {
                return i + 3;
            }
        }

        return 0;
    }

    private static char Fold(char c, bool ignoreCase) => !ignoreCase ? c : c == '\u017F' ? 's' : char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;

    private enum CharClass
    {
        Letter,
        Number,
        Space,
        Other,
    }

    /// <summary>End of the run of <paramref name="charClass"/> code points starting at <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndOfRun(ReadOnlySpan<char> s, int i, CharClass charClass)
    {
        while (i < s.Length)
        {
            var cp = UnicodeText.CodePointAt(s, i, out var length);
            var inClass = charClass switch
            {
                CharClass.Letter => UnicodeText.IsLetter(cp),
                CharClass.Number => UnicodeText.IsNumber(cp),
                CharClass.Space => UnicodeText.IsWhiteSpace(cp),
                _ => UnicodeText.IsOther(cp),
            };
            if (!inClass)
            {
                break;
            }

            i += length;
        }

        return i;
    }
}
