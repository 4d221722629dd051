namespace Appliance.Inference.Templates;

/// <summary>
/// The reference trims and splits with JavaScript's notion of whitespace (which includes U+FEFF but not U+0085)
/// and matches words with JavaScript's ASCII-only \w. Using the same sets keeps our output identical.
/// </summary>
internal static class JsText
{
    public static bool IsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' => true,
        >= '\u2000' and <= '\u200a' => true,
        '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' or '\ufeff' => true,
        _ => false,
    };

    /// <summary>Where a JavaScript multiline ^ may match: after \n, \r, U+2028 or U+2029.</summary>
    public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    public static string Trim(string text) => TrimEnd(TrimStart(text));

    public static string TrimStart(string text)
    {
        var start = 0;
        while (start < text.Length && IsWhiteSpace(text[start]))
        {
            start++;
        }

        return text[start..];
    }

    public static string TrimEnd(string text)
    {
        var end = text.Length;
        while (end > 0 && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }
}
