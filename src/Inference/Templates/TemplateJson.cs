using System.Globalization;
using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// The tojson filter, laid out exactly as the reference lays it out (Python json.dumps separators, non-ASCII kept
/// unless ensure_ascii, JavaScript string escaping and number formatting).
/// </summary>
internal static class TemplateJson
{
    public static string Serialize(TemplateValue value, JsonFormat format)
    {
        var output = new StringBuilder();
        Write(output, value, format);
        return output.ToString();
    }

    public static void Write(StringBuilder output, TemplateValue value, JsonFormat format) => Write(output, value, format, 0);

    private static void Write(StringBuilder output, TemplateValue value, JsonFormat format, int depth)
    {
        switch (value)
        {
            case NoneValue:
                output.Append("null");
                break;
            case UndefinedValue:
                output.Append(format.UndefinedAsNull ? "null" : "undefined");
                break;
            case BoolValue b:
                output.Append(b.Value ? "true" : "false");
                break;
            case IntValue i:
                output.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatValue f:
                output.Append(double.IsFinite(f.Value) ? JsNumber.Format(f.Value) : "null");
                break;
            case StringValue s:
                WriteString(output, s.Value, format.EnsureAscii);
                break;
            case ListValue list:
                WriteList(output, list, format, depth);
                break;
            case DictValue dict:
                WriteObject(output, dict.Entries, format, depth);
                break;
            case NamespaceValue ns:
                WriteObject(output, ns.Attributes, format, depth);
                break;
            default:
                throw new TemplateRuntimeError($"cannot convert {value.TypeName} to JSON");
        }
    }

    private static (string Item, string Key) Separators(JsonFormat format) =>
        (format.ItemSeparator ?? (IsIndented(format) ? "," : ", "), format.KeySeparator ?? ": ");

    // The reference tests the indent for truthiness, so indent=0 lays out like no indent at all.
    private static bool IsIndented(JsonFormat format) => format.Indent is > 0;

    private static void WriteList(StringBuilder output, ListValue list, JsonFormat format, int depth)
    {
        var (itemSeparator, _) = Separators(format);
        output.Append('[');
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (i > 0)
            {
                output.Append(itemSeparator);
            }

            NewLine(output, format, depth + 1);
            Write(output, list.Items[i], format, depth + 1);
        }

        if (list.Items.Count > 0)
        {
            NewLine(output, format, depth);
        }

        output.Append(']');
    }

    private static void WriteObject(
        StringBuilder output, OrderedDictionary<string, TemplateValue> entries, JsonFormat format, int depth)
    {
        var (itemSeparator, keySeparator) = Separators(format);
        IEnumerable<KeyValuePair<string, TemplateValue>> ordered = entries;
        if (format.SortKeys)
        {
            // Python's sort_keys orders by code point; ordinal UTF-16 order agrees outside the surrogate range.
            ordered = entries.OrderBy(entry => entry.Key, StringComparer.Ordinal);
        }

        output.Append('{');
        var first = true;
        foreach (var (key, item) in ordered)
        {
            if (!first)
            {
                output.Append(itemSeparator);
            }

            first = false;
            NewLine(output, format, depth + 1);
            WriteString(output, key, format.EnsureAscii);
            output.Append(keySeparator);
            Write(output, item, format, depth + 1);
        }

        if (!first)
        {
            NewLine(output, format, depth);
        }

        output.Append('}');
    }

    private static void NewLine(StringBuilder output, JsonFormat format, int depth)
    {
        if (IsIndented(format))
        {
            output.Append('\n').Append(' ', format.Indent!.Value * depth);
        }
    }

    /// <summary>JSON.stringify's string escaping; with ensure_ascii every char from U+007F up becomes \uXXXX.</summary>
    private static void WriteString(StringBuilder output, string text, bool ensureAscii)
    {
        output.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                default:
                    if (c < ' ' || (ensureAscii && c >= '\u007f') || IsLoneSurrogate(text, i))
                    {
                        AppendUnicodeEscape(output, c);
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        output.Append('"');
    }

    private static bool IsLoneSurrogate(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
        }

        return char.IsLowSurrogate(c) && (index == 0 || !char.IsHighSurrogate(text[index - 1]));
    }

    private static void AppendUnicodeEscape(StringBuilder output, char c) =>
        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
