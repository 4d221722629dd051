using System.Globalization;
using System.Runtime.CompilerServices;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// Code point reading and the character classes tokenizer patterns use (\p{L}, \p{N}, \s, \w), over UTF-16 text.
/// A lone surrogate counts as one code point of its own (category Cs), as in JavaScript's 'u' mode.
/// </summary>
internal static class UnicodeText
{
    public const char ReplacementChar = '\uFFFD';

    private const byte Letter = 1;
    private const byte Number = 2;
    private const byte Space = 4;

    private static readonly byte[] AsciiClasses = BuildAsciiClasses();

    /// <summary>Reads the code point at <paramref name="index"/>; <paramref name="length"/> is 2 for a surrogate pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int length)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        length = 1;
        return c;
    }

    /// <summary>Unicode category \p{L}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLetter(int codePoint) =>
        codePoint < 128 ? (AsciiClasses[codePoint] & Letter) != 0 : IsLetterCategory(Category(codePoint));

    /// <summary>Unicode category \p{N}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNumber(int codePoint) =>
        codePoint < 128 ? (AsciiClasses[codePoint] & Number) != 0 : IsNumberCategory(Category(codePoint));

    /// <summary>The White_Space property, which is what \s means to Oniguruma and to the reference's translated patterns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhiteSpace(int codePoint)
    {
        if (codePoint < 128)
        {
            return (AsciiClasses[codePoint] & Space) != 0;
        }

        return codePoint switch
        {
            0x85 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
            >= 0x2000 and <= 0x200A => true,
            _ => false,
        };
    }

    /// <summary>Neither \s, \p{L} nor \p{N}: what <c>[^\s\p{L}\p{N}]</c> matches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsOther(int codePoint) => !IsWhiteSpace(codePoint) && !IsLetter(codePoint) && !IsNumber(codePoint);

    /// <summary>\w as the Rust regex crate defines it (used for single_word added tokens).</summary>
    public static bool IsWordChar(int codePoint)
    {
        if (codePoint is 0x200C or 0x200D)
        {
            return true;
        }

        var category = Category(codePoint);
        return IsLetterCategory(category)
            || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation;
    }

    /// <summary>Trims White_Space from the start of a range; returns the new start.</summary>
    public static int SkipWhiteSpace(ReadOnlySpan<char> text, int start, int end)
    {
        while (start < end)
        {
            var cp = CodePointAt(text, start, out var length);
            if (!IsWhiteSpace(cp))
            {
                break;
            }

            start += length;
        }

        return start;
    }

    /// <summary>Trims White_Space from the end of a range; returns the new end. White_Space is all in the BMP.</summary>
    public static int TrimWhiteSpaceEnd(ReadOnlySpan<char> text, int start, int end)
    {
        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return end;
    }

    private static UnicodeCategory Category(int codePoint) =>
        codePoint is >= 0xD800 and <= 0xDFFF ? UnicodeCategory.Surrogate : CharUnicodeInfo.GetUnicodeCategory(codePoint);

    private static bool IsLetterCategory(UnicodeCategory category) => category <= UnicodeCategory.OtherLetter;

    private static bool IsNumberCategory(UnicodeCategory category) =>
        category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static byte[] BuildAsciiClasses()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            if (char.IsAsciiLetter((char)c))
            {
                classes[c] |= Letter;
            }
            else if (char.IsAsciiDigit((char)c))
            {
                classes[c] |= Number;
            }
            else if (c is ' ' or (>= '\t' and <= '\r'))
            {
                classes[c] |= Space;
            }
        }

        return classes;
    }
}
