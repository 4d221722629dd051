using System.Text;
using System.Text.Json;

namespace Appliance.Inference.Templates;

/// <summary>
/// A value inside a chat template: undefined, none, bool, int, float, string, list, dict (insertion-ordered),
/// namespace or callable. Callers build message lists and tool schemas from these, usually straight from JSON.
/// </summary>
public abstract class TemplateValue
{
    private protected TemplateValue()
    {
    }

    /// <summary>The value of a name nothing defined; renders as nothing.</summary>
    public static TemplateValue Undefined => UndefinedValue.Instance;

    /// <summary>Jinja's <c>none</c> (JSON null).</summary>
    public static TemplateValue None => NoneValue.Instance;

    public static TemplateValue From(bool value) => BoolValue.Of(value);

    public static TemplateValue From(long value) => new IntValue(value);

    public static TemplateValue From(double value) => new FloatValue(value);

    /// <summary>A string value; a null string becomes <see cref="None"/>.</summary>
    public static TemplateValue From(string? value) => value is null ? NoneValue.Instance : new StringValue(value);

    public static TemplateValue List(IEnumerable<TemplateValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new ListValue([.. items]);
    }

    /// <summary>A dict that keeps its keys in the order given; a repeated key keeps its first position and last value.</summary>
    public static TemplateValue Dict(IEnumerable<KeyValuePair<string, TemplateValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var dict = new DictValue();
        foreach (var (key, value) in entries)
        {
            dict.Entries[key] = value;
        }

        return dict;
    }

    /// <summary>
    /// Converts parsed JSON the way the reference (transformers.js) hands JSON to its templates: objects become
    /// insertion-ordered dicts, and a number with an integral value (such as <c>2.0</c>) becomes an int.
    /// </summary>
    public static TemplateValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => DictFromJson(element),
        JsonValueKind.Array => new ListValue([.. element.EnumerateArray().Select(FromJson)]),
        JsonValueKind.String => new StringValue(element.GetString()!),
        JsonValueKind.Number => NumberFromJson(element),
        JsonValueKind.True => BoolValue.True,
        JsonValueKind.False => BoolValue.False,
        JsonValueKind.Null => NoneValue.Instance,
        _ => UndefinedValue.Instance,
    };

    /// <summary>Parses JSON text and converts it as <see cref="FromJson(JsonElement)"/> does.</summary>
    public static TemplateValue FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>The text <c>{{ value }}</c> renders.</summary>
    public override string ToString()
    {
        var output = new StringBuilder();
        WriteTo(output);
        return output.ToString();
    }

    /// <summary>The type name used in error messages.</summary>
    internal abstract string TypeName { get; }

    /// <summary>Python truthiness: empty strings, lists and dicts, zero, none and undefined are false.</summary>
    internal virtual bool IsTruthy => true;

    /// <summary>The text this value contributes when joined to a string with <c>~</c> or <c>+</c>.</summary>
    internal virtual string ConcatText => ToString();

    /// <summary>Appends what <c>{{ value }}</c> renders.</summary>
    internal abstract void WriteTo(StringBuilder output);

    private static DictValue DictFromJson(JsonElement element)
    {
        var dict = new DictValue();
        foreach (var property in element.EnumerateObject())
        {
            dict.Entries[property.Name] = FromJson(property.Value);
        }

        return dict;
    }

    private static TemplateValue NumberFromJson(JsonElement element)
    {
        if (element.TryGetInt64(out var integer))
        {
            return new IntValue(integer);
        }

        var number = double.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
        return IntValue.TryFromIntegralDouble(number, out var integral) ? integral : new FloatValue(number);
    }
}
