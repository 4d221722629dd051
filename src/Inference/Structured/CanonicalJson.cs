using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>
/// The one compact spelling the matcher uses for fixed values (enum, const) and that tests use for instances: no
/// whitespace, object keys in ordinal order, strings escaping only '"', '\' and control characters, numbers with an
/// integral value below 10^15 as plain integers (1.0 is 1), other numbers in round-trip form.
/// </summary>
public static class CanonicalJson
{
    private const double PlainIntegerLimit = 1e15;

    public static byte[] Serialize(JsonElement value)
    {
        var output = new List<byte>();
        Write(value, output);
        return [.. output];
    }

    /// <summary>A string's contents in canonical escaping, without the quotes.</summary>
    public static byte[] EscapeString(string text)
    {
        var output = new List<byte>(text.Length);
        WriteStringBody(text, output);
        return [.. output];
    }

    internal static JsonKinds KindOf(ReadOnlySpan<byte> value) => value[0] switch
    {
        (byte)'{' => JsonKinds.Object,
        (byte)'[' => JsonKinds.Array,
        (byte)'"' => JsonKinds.String,
        (byte)'t' or (byte)'f' => JsonKinds.Boolean,
        (byte)'n' => JsonKinds.Null,
        _ => value.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 ? JsonKinds.Fraction : JsonKinds.Integer,
    };

    private static void Write(JsonElement value, List<byte> output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.Add((byte)'{');
                var first = true;
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        output.Add((byte)',');
                    }

                    first = false;
                    output.Add((byte)'"');
                    WriteStringBody(property.Name, output);
                    output.AddRange("\":"u8);
                    Write(property.Value, output);
                }

                output.Add((byte)'}');
                break;
            case JsonValueKind.Array:
                output.Add((byte)'[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        output.Add((byte)',');
                    }

                    Write(item, output);
                }

                output.Add((byte)']');
                break;
            case JsonValueKind.String:
                output.Add((byte)'"');
                WriteStringBody(value.GetString()!, output);
                output.Add((byte)'"');
                break;
            case JsonValueKind.Number:
                output.AddRange(Encoding.UTF8.GetBytes(NumberText(value)));
                break;
            default:
                output.AddRange(Encoding.UTF8.GetBytes(value.GetRawText()));
                break;
        }
    }

    private static string NumberText(JsonElement value)
    {
        var number = value.GetDouble();
        if (Math.Abs(number) < PlainIntegerLimit && Math.Floor(number) == number)
        {
            return ((long)number).ToString(CultureInfo.InvariantCulture);
        }

        var raw = value.GetRawText();
        return raw.Contains('.', StringComparison.Ordinal) || raw.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? number.ToString("R", CultureInfo.InvariantCulture)
            : raw;
    }

    private static void WriteStringBody(string text, List<byte> output)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    output.AddRange("\\\""u8);
                    break;
                case '\\':
                    output.AddRange("\\\\"u8);
                    break;
                case '\n':
                    output.AddRange("\\n"u8);
                    break;
                case '\r':
                    output.AddRange("\\r"u8);
                    break;
                case '\t':
                    output.AddRange("\\t"u8);
                    break;
                case '\b':
                    output.AddRange("\\b"u8);
                    break;
                case '\f':
                    output.AddRange("\\f"u8);
                    break;
                case < 0x20:
                    output.AddRange(Encoding.ASCII.GetBytes($"\\u{rune.Value:x4}"));
                    break;
                default:
                    var count = rune.EncodeToUtf8(utf8);
                    output.AddRange(utf8[..count]);
                    break;
            }
        }
    }
}
