using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// Attribute, item and slice access and iteration. Like the reference, looking into something that lacks the key
/// (including undefined and none) gives undefined instead of failing, so optional message fields can be probed.
/// </summary>
internal static class ValueAccess
{
    public static TemplateValue GetAttribute(TemplateValue target, string name) => target switch
    {
        DictValue dict => dict.Entries.TryGetValue(name, out var value) ? value : DictMethods.Bind(dict, name),
        NamespaceValue ns => ns.Attributes.TryGetValue(name, out var value) ? value : UndefinedValue.Instance,
        StringValue text => StringMethods.Bind(text, name),
        _ => UndefinedValue.Instance,
    };

    public static TemplateValue GetItem(TemplateValue target, TemplateValue key)
    {
        switch (target, key)
        {
            case (DictValue or NamespaceValue or StringValue, StringValue name):
                return GetAttribute(target, name.Value);
            case (ListValue list, IntValue index):
                var position = index.Value < 0 ? index.Value + list.Items.Count : index.Value;
                return position >= 0 && position < list.Items.Count ? list.Items[(int)position] : UndefinedValue.Instance;
            case (StringValue text, IntValue index):
                // Indexing counts UTF-16 code units, like the reference's String.prototype.at().
                var at = index.Value < 0 ? index.Value + text.Value.Length : index.Value;
                return at >= 0 && at < text.Value.Length ? new StringValue(text.Value[(int)at].ToString()) : UndefinedValue.Instance;
            case (ListValue or StringValue, not StringValue):
                throw new TemplateRuntimeError($"{target.TypeName} indices must be integers, got {key.TypeName}");
            default:
                return UndefinedValue.Instance;
        }
    }

    /// <summary>Python slicing; strings are sliced by code point so surrogate pairs stay whole.</summary>
    public static TemplateValue Slice(TemplateValue target, long? start, long? stop, long? step)
    {
        var stepValue = step ?? 1;
        if (stepValue == 0)
        {
            throw new TemplateRuntimeError("slice step cannot be zero");
        }

        switch (target)
        {
            case ListValue list:
                return new ListValue(SliceIndices(list.Items.Count, start, stop, stepValue).Select(i => list.Items[i]).ToList());
            case StringValue text:
                var codePoints = CodePoints(text.Value);
                var sliced = new StringBuilder();
                foreach (var i in SliceIndices(codePoints.Count, start, stop, stepValue))
                {
                    sliced.Append(codePoints[i]);
                }

                return new StringValue(sliced.ToString());
            default:
                throw new TemplateRuntimeError($"cannot slice {target.TypeName}; only lists and strings can be sliced");
        }
    }

    /// <summary>What a for loop walks: list items, dict keys, the characters of a string; undefined is empty.</summary>
    public static List<TemplateValue> Iterate(TemplateValue value) => value switch
    {
        ListValue list => list.Items,
        DictValue dict => [.. dict.Entries.Keys.Select(key => (TemplateValue)new StringValue(key))],
        StringValue text => [.. CodePoints(text.Value).Select(c => (TemplateValue)new StringValue(c))],
        UndefinedValue => [],
        _ => throw new TemplateRuntimeError($"cannot iterate over {value.TypeName}"),
    };

    /// <summary>The characters of a string as Python sees them: one entry per code point.</summary>
    public static List<string> CodePoints(string text)
    {
        var result = new List<string>(text.Length);
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            result.Add(char.IsSurrogatePair(text, i) ? text.Substring(i, 2) : text[i].ToString());
        }

        return result;
    }

    /// <summary>CPython's slice index adjustment.</summary>
    private static IEnumerable<int> SliceIndices(int length, long? start, long? stop, long step)
    {
        long lower = step > 0 ? 0 : -1;
        long upper = step > 0 ? length : length - 1;
        var from = start is { } s ? Clamp(s, length, lower, upper) : step > 0 ? lower : upper;
        var to = stop is { } e ? Clamp(e, length, lower, upper) : step > 0 ? upper : lower;
        for (var i = from; step > 0 ? i < to : i > to; i += step)
        {
            yield return (int)i;
        }
    }

    private static long Clamp(long index, int length, long lower, long upper) =>
        index < 0 ? Math.Max(index + length, lower) : Math.Min(index, upper);
}
