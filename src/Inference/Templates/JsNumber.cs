using System.Globalization;

namespace Appliance.Inference.Templates;

/// <summary>
/// JavaScript's number-to-text and text-to-number rules, which the reference uses for floats in JSON and string
/// joins and for the int/float filters. Keeping them lets our output match it byte for byte.
/// </summary>
internal static class JsNumber
{
    /// <summary>JavaScript's Number.prototype.toString(): shortest round-trip digits, exponent past 1e21 / below 1e-6.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var sign = value < 0 ? "-" : string.Empty;
        var k = digits.Length;
        var n = pointPosition;
        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var exponent = n - 1;
        var exponentText = (exponent < 0 ? "e-" : "e+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        return k == 1
            ? sign + digits + exponentText
            : sign + digits[..1] + "." + digits[1..] + exponentText;
    }

    /// <summary>JavaScript's parseInt(text, 10): optional whitespace and sign, then the longest run of digits.</summary>
    public static bool TryParseIntPrefix(string text, out long value)
    {
        var position = SkipWhitespace(text);
        var start = position;
        if (position < text.Length && text[position] is '+' or '-')
        {
            position++;
        }

        var digitsStart = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        if (position == digitsStart)
        {
            value = 0;
            return false;
        }

        if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            throw new TemplateRuntimeError($"integer '{text[start..position]}' is too large");
        }

        return true;
    }

    /// <summary>JavaScript's parseFloat(text): optional whitespace, then the longest prefix that reads as a decimal number.</summary>
    public static bool TryParseFloatPrefix(string text, out double value)
    {
        var position = SkipWhitespace(text);
        var start = position;
        if (position < text.Length && text[position] is '+' or '-')
        {
            position++;
        }

        if (text.AsSpan(position).StartsWith("Infinity", StringComparison.Ordinal))
        {
            value = text[start] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        var integerDigits = CountDigits(text, position);
        position += integerDigits;
        var fractionDigits = 0;
        if (position < text.Length && text[position] == '.')
        {
            fractionDigits = CountDigits(text, position + 1);
            if (integerDigits > 0 || fractionDigits > 0)
            {
                position += 1 + fractionDigits;
            }
        }

        if (integerDigits == 0 && fractionDigits == 0)
        {
            value = 0;
            return false;
        }

        if (position < text.Length && text[position] is 'e' or 'E')
        {
            var exponentStart = position + 1;
            if (exponentStart < text.Length && text[exponentStart] is '+' or '-')
            {
                exponentStart++;
            }

            var exponentDigits = CountDigits(text, exponentStart);
            if (exponentDigits > 0)
            {
                position = exponentStart + exponentDigits;
            }
        }

        value = double.Parse(text.AsSpan(start, position - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }

    private static int SkipWhitespace(string text)
    {
        var position = 0;
        while (position < text.Length && JsText.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    private static int CountDigits(string text, int position)
    {
        var count = 0;
        while (position + count < text.Length && char.IsAsciiDigit(text[position + count]))
        {
            count++;
        }

        return count;
    }

    /// <summary>The shortest digits that round-trip and where the decimal point sits: value = 0.DIGITS × 10^point.</summary>
    private static (string Digits, int PointPosition) ShortestDigits(double positive)
    {
        // .NET Core 3.0+ prints the shortest round-trippable digits for "R", as ECMAScript requires.
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponentIndex = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = 0;
        if (exponentIndex >= 0)
        {
            exponent = int.Parse(text.AsSpan(exponentIndex + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..exponentIndex];
        }

        var pointIndex = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = pointIndex >= 0 ? text[..pointIndex] : text;
        var digits = pointIndex >= 0 ? integerPart + text[(pointIndex + 1)..] : text;
        var pointPosition = integerPart.Length + exponent;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        return (digits, pointPosition - leadingZeros);
    }
}
