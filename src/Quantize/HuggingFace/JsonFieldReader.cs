using System.Text.Json;

namespace Appliance.Quantize.HuggingFace;

/// <summary>Typed access to the fields of one JSON object; every failure names the source file and the field.</summary>
internal readonly struct JsonFieldReader
{
    private readonly JsonElement _object;

    public JsonFieldReader(JsonElement jsonObject, string sourceName, string path = "")
    {
        SourceName = sourceName;
        Path = path;
        if (jsonObject.ValueKind != JsonValueKind.Object)
        {
            throw new HfCheckpointException($"{sourceName}: {Describe(path)} must be a JSON object, found {jsonObject.ValueKind}.");
        }

        _object = jsonObject;
    }

    public string SourceName { get; }

    public string Path { get; }

    public JsonElement Element => _object;

    public bool Has(string name) => _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public int RequiredInt(string name) =>
        OptionalInt(name) ?? throw Error(name, "is required but missing");

    public int? OptionalInt(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return AsInt(value, FieldPath(name));
    }

    public double OptionalDouble(string name, double defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return AsDouble(value, name);
    }

    public double RequiredDouble(string name) =>
        TryGet(name, out var value) ? AsDouble(value, name) : throw Error(name, "is required but missing");

    public bool OptionalBool(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"must be true or false, found {Abbreviate(value)}"),
        };
    }

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Error(name, $"must be a string, found {Abbreviate(value)}");
    }

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw Error(name, "is required but missing");

    /// <summary>A nested object, or null when the field is absent or JSON null.</summary>
    public JsonFieldReader? OptionalObject(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? new JsonFieldReader(value, SourceName, FieldPath(name))
            : throw Error(name, $"must be an object or null, found {Abbreviate(value)}");
    }

    /// <summary>An int, a list of ints, or absent/null (empty).</summary>
    public int[] IntOrIntList(string name)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var result = new int[value.GetArrayLength()];
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                result[i] = AsInt(item, $"{FieldPath(name)}[{i}]");
                i++;
            }

            return result;
        }

        return [AsInt(value, FieldPath(name))];
    }

    public JsonElement RequiredArray(string name)
    {
        if (!TryGet(name, out var value))
        {
            throw Error(name, "is required but missing");
        }

        return value.ValueKind == JsonValueKind.Array
            ? value
            : throw Error(name, $"must be an array, found {Abbreviate(value)}");
    }

    public HfCheckpointException Error(string name, string problem) =>
        new($"{SourceName}: {Describe(FieldPath(name))} {problem}.");

    public int AsInt(JsonElement value, string fieldPath)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out var integer))
            {
                return integer;
            }

            // Some exporters write integral values as 2048.0.
            if (value.TryGetDouble(out var real) && real == Math.Floor(real) && real is >= int.MinValue and <= int.MaxValue)
            {
                return (int)real;
            }
        }

        throw new HfCheckpointException($"{SourceName}: {Describe(fieldPath)} must be an integer, found {Abbreviate(value)}.");
    }

    private double AsDouble(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real) && double.IsFinite(real)
            ? real
            : throw Error(name, $"must be a number, found {Abbreviate(value)}");

    private bool TryGet(string name, out JsonElement value) =>
        _object.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>The value's JSON text, cut short so a huge array cannot flood an error message.</summary>
    public static string Abbreviate(JsonElement value)
    {
        const int MaxLength = 80;
        var text = value.GetRawText();
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "...");
    }

    private static string Describe(string fieldPath) => fieldPath.Length == 0 ? "the document" : $"field \"{fieldPath}\"";
}
