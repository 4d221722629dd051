using System.Globalization;
using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// Splits a template into text, comments and the tokens inside <c>{% %}</c> and <c>{{ }}</c>, following the
/// reference lexer (including its whitespace control with <c>-</c> and its <c>-1</c> number folding) and adding
/// Jinja's <c>{% raw %}</c> blocks.
/// </summary>
internal sealed class TemplateLexer
{
    private static readonly (string Text, TokenKind Kind)[] Symbols =
    [
        ("{%", TokenKind.OpenStatement),
        ("%}", TokenKind.CloseStatement),
        ("{{", TokenKind.OpenExpression),
        ("}}", TokenKind.CloseExpression),
        ("(", TokenKind.OpenParen),
        (")", TokenKind.CloseParen),
        ("{", TokenKind.OpenBrace),
        ("}", TokenKind.CloseBrace),
        ("[", TokenKind.OpenBracket),
        ("]", TokenKind.CloseBracket),
        (",", TokenKind.Comma),
        (".", TokenKind.Dot),
        (":", TokenKind.Colon),
        ("|", TokenKind.Pipe),
        ("<=", TokenKind.Comparison),
        (">=", TokenKind.Comparison),
        ("==", TokenKind.Comparison),
        ("!=", TokenKind.Comparison),
        ("<", TokenKind.Comparison),
        (">", TokenKind.Comparison),
        ("+", TokenKind.Additive),
        ("-", TokenKind.Additive),
        ("~", TokenKind.Additive),
        ("**", TokenKind.Power),
        ("*", TokenKind.Multiplicative),
        ("//", TokenKind.Multiplicative),
        ("/", TokenKind.Multiplicative),
        ("%", TokenKind.Multiplicative),
        ("=", TokenKind.Equals),
    ];

    private readonly string text;
    private readonly int[] origins;
    private readonly int sourceLength;
    private readonly LineMap lines;
    private readonly List<Token> tokens = [];
    private int position;
    private int braceDepth;
    private bool inTag;
    private int tagStart;

    private TemplateLexer(string source)
    {
        (text, origins) = TemplatePreprocessor.Apply(source);
        sourceLength = source.Length;
        lines = new LineMap(source);
    }

    /// <summary>Tokens of <paramref name="source"/>, ending with an <see cref="TokenKind.End"/> token.</summary>
    public static List<Token> Tokenize(string source)
    {
        var lexer = new TemplateLexer(source);
        lexer.Run();
        return lexer.tokens;
    }

    private void Run()
    {
        while (position < text.Length)
        {
            if (inTag)
            {
                LexInsideTag();
            }
            else
            {
                LexOutsideTag();
            }
        }

        if (inTag)
        {
            throw new TemplateException(Locate(tagStart), $"'{text.Substring(tagStart, 2)}' is not closed before the end of the template");
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, lines.Locate(sourceLength)));
    }

    private void LexOutsideTag()
    {
        var start = position;
        while (position < text.Length && !IsTagOpener(position))
        {
            position++;
        }

        if (position > start)
        {
            Add(TokenKind.Text, text[start..position], start);
            return;
        }

        if (text[position + 1] == '#')
        {
            LexComment();
            return;
        }

        var stripBefore = position + 2 < text.Length && text[position + 2] == '-';
        if (stripBefore)
        {
            StripTrailingWhitespace();
        }

        if (text[position + 1] == '%' && TryLexRaw())
        {
            return;
        }

        tagStart = position;
        if (text[position + 1] == '%')
        {
            Add(TokenKind.OpenStatement, "{%", position);
        }
        else
        {
            Add(TokenKind.OpenExpression, "{{", position);
            braceDepth = 0;
        }

        position += stripBefore ? 3 : 2;
        inTag = true;
    }

    private bool IsTagOpener(int at) =>
        text[at] == '{' && at + 1 < text.Length && text[at + 1] is '%' or '{' or '#';

    private void LexComment()
    {
        var start = position;
        position += 2;
        var stripBefore = position < text.Length && text[position] == '-';
        if (stripBefore)
        {
            position++;
        }

        var end = text.IndexOf("#}", position, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new TemplateException(Locate(start), "comment '{#' is not closed with '#}'");
        }

        var comment = text[position..end];
        var stripAfter = comment.EndsWith('-');
        if (stripBefore)
        {
            StripTrailingWhitespace();
        }

        Add(TokenKind.Comment, stripAfter ? comment[..^1] : comment, start);
        position = end + 2;
        if (stripAfter)
        {
            SkipWhitespace();
        }
    }

    /// <summary>Lexes <c>{% raw %}...{% endraw %}</c> as one text token holding the content untouched.</summary>
    private bool TryLexRaw()
    {
        var start = position;
        if (!TryMatchTag(position, "raw", out var openEnd, out var stripInside))
        {
            return false;
        }

        var contentStart = openEnd;
        if (stripInside)
        {
            while (contentStart < text.Length && JsText.IsWhiteSpace(text[contentStart]))
            {
                contentStart++;
            }
        }

        for (var search = contentStart; (search = text.IndexOf("{%", search, StringComparison.Ordinal)) >= 0; search++)
        {
            var stripContentEnd = search + 2 < text.Length && text[search + 2] == '-';
            if (TryMatchTag(search, "endraw", out var closeEnd, out var stripAfter))
            {
                var content = text[contentStart..search];
                if (stripContentEnd)
                {
                    content = JsText.TrimEnd(content);
                }

                if (content.Length > 0)
                {
                    Add(TokenKind.Text, content, contentStart);
                }

                position = closeEnd;
                if (stripAfter)
                {
                    SkipWhitespace();
                }

                return true;
            }
        }

        throw new TemplateException(Locate(start), "'raw' block is not closed with '{% endraw %}'");
    }

    /// <summary>Matches <c>{%-? name -?%}</c> at <paramref name="at"/>.</summary>
    private bool TryMatchTag(int at, string name, out int end, out bool stripAfter)
    {
        end = at + 2;
        stripAfter = false;
        if (end < text.Length && text[end] == '-')
        {
            end++;
        }

        while (end < text.Length && JsText.IsWhiteSpace(text[end]))
        {
            end++;
        }

        if (!text.AsSpan(end).StartsWith(name, StringComparison.Ordinal)
            || (end + name.Length < text.Length && JsText.IsWordChar(text[end + name.Length])))
        {
            return false;
        }

        end += name.Length;
        while (end < text.Length && JsText.IsWhiteSpace(text[end]))
        {
            end++;
        }

        if (end < text.Length && text[end] == '-')
        {
            stripAfter = true;
            end++;
        }

        if (!text.AsSpan(end).StartsWith("%}", StringComparison.Ordinal))
        {
            return false;
        }

        end += 2;
        return true;
    }

    private void LexInsideTag()
    {
        SkipWhitespace();
        if (position >= text.Length)
        {
            return;
        }

        if (At("-%}") || At("-}}"))
        {
            Add(text[position + 1] == '%' ? TokenKind.CloseStatement : TokenKind.CloseExpression, text.Substring(position + 1, 2), position);
            position += 3;
            inTag = false;
            SkipWhitespace();
            return;
        }

        var c = text[position];
        if (c is '-' or '+' && !FollowsOperand())
        {
            LexSign(c);
            return;
        }

        foreach (var (symbol, kind) in Symbols)
        {
            if (kind == TokenKind.CloseExpression && braceDepth > 0)
            {
                // Inside a dict literal "}}" closes two braces, not the expression.
                continue;
            }

            if (At(symbol))
            {
                Add(kind, symbol, position);
                position += symbol.Length;
                switch (kind)
                {
                    case TokenKind.OpenExpression:
                        braceDepth = 0;
                        break;
                    case TokenKind.OpenBrace:
                        braceDepth++;
                        break;
                    case TokenKind.CloseBrace:
                        braceDepth--;
                        break;
                    case TokenKind.CloseStatement or TokenKind.CloseExpression:
                        inTag = false;
                        break;
                }

                return;
            }
        }

        if (c is '\'' or '"')
        {
            LexString(c);
        }
        else if (char.IsAsciiDigit(c))
        {
            var start = position;
            Add(TokenKind.Number, ReadNumber(allowFraction: tokens[^1].Kind != TokenKind.Dot), start);
        }
        else if (JsText.IsWordChar(c))
        {
            var start = position;
            while (position < text.Length && JsText.IsWordChar(text[position]))
            {
                position++;
            }

            Add(TokenKind.Name, text[start..position], start);
        }
        else
        {
            throw new TemplateException(Locate(position), $"unexpected character '{c}'");
        }
    }

    /// <summary>A sign after an operand is the binary operator; anywhere else it signs what follows.</summary>
    private bool FollowsOperand() => tokens[^1].Kind is TokenKind.Name or TokenKind.Number or TokenKind.String
        or TokenKind.CloseParen or TokenKind.CloseBracket;

    private void LexSign(char sign)
    {
        var start = position++;
        if (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            Add(TokenKind.Number, sign + ReadNumber(allowFraction: true), start);
        }
        else
        {
            Add(TokenKind.Sign, sign.ToString(), start);
        }
    }

    private string ReadNumber(bool allowFraction)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        if (allowFraction && position + 1 < text.Length && text[position] == '.' && char.IsAsciiDigit(text[position + 1]))
        {
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
        }

        return text[start..position];
    }

    private void LexString(char quote)
    {
        var start = position++;
        var value = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw new TemplateException(Locate(start), "string literal is not closed");
            }

            var c = text[position++];
            if (c == quote)
            {
                break;
            }

            if (c == '\\')
            {
                ReadEscape(value, start);
            }
            else
            {
                value.Append(c);
            }
        }

        Add(TokenKind.String, value.ToString(), start);
    }

    /// <summary>Python string escapes; an unknown escape keeps its backslash, as Python does.</summary>
    private void ReadEscape(StringBuilder value, int literalStart)
    {
        if (position >= text.Length)
        {
            throw new TemplateException(Locate(literalStart), "string literal is not closed");
        }

        var c = text[position++];
        switch (c)
        {
            case 'n': value.Append('\n'); break;
            case 't': value.Append('\t'); break;
            case 'r': value.Append('\r'); break;
            case 'b': value.Append('\b'); break;
            case 'f': value.Append('\f'); break;
            case 'v': value.Append('\v'); break;
            case 'a': value.Append('\a'); break;
            case '\'' or '"' or '\\': value.Append(c); break;
            case 'x': value.Append((char)ReadHex(2, literalStart)); break;
            case 'u': value.Append((char)ReadHex(4, literalStart)); break;
            case 'U': value.Append(char.ConvertFromUtf32(ReadHex(8, literalStart))); break;
            case >= '0' and <= '7':
                var code = c - '0';
                for (var digits = 1; digits < 3 && position < text.Length && text[position] is >= '0' and <= '7'; digits++)
                {
                    code = (code * 8) + (text[position++] - '0');
                }

                value.Append((char)code);
                break;
            default: value.Append('\\').Append(c); break;
        }
    }

    private int ReadHex(int length, int literalStart)
    {
        var start = position - 2;
        if (position + length > text.Length
            || !int.TryParse(text.AsSpan(position, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF)
        {
            var shown = text.Substring(start, Math.Min(length + 2, text.Length - start));
            throw new TemplateException(Locate(literalStart), $"invalid escape sequence '{shown}' in string literal");
        }

        position += length;
        return code;
    }

    private bool At(string symbol) => text.AsSpan(position).StartsWith(symbol, StringComparison.Ordinal);

    private void SkipWhitespace()
    {
        while (position < text.Length && JsText.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    /// <summary>A <c>-</c> on an opening tag trims the whitespace that ends the text before it.</summary>
    private void StripTrailingWhitespace()
    {
        if (tokens.Count > 0 && tokens[^1].Kind == TokenKind.Text)
        {
            var trimmed = JsText.TrimEnd(tokens[^1].Value);
            if (trimmed.Length == 0)
            {
                tokens.RemoveAt(tokens.Count - 1);
            }
            else
            {
                tokens[^1] = tokens[^1] with { Value = trimmed };
            }
        }
    }

    private void Add(TokenKind kind, string value, int at) => tokens.Add(new Token(kind, value, Locate(at)));

    private SourceLocation Locate(int at) => lines.Locate(at < origins.Length ? origins[at] : sourceLength);
}
