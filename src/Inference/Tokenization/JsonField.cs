using System.Text.Json;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// A JSON value with where it came from (file and JSON path), so every complaint about it names the exact field.
/// </summary>
internal readonly record struct JsonField(string Source, string Path, JsonElement Value)
{
    public bool IsNull => Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>A property that must be there and not be null.</summary>
    public JsonField Property(string name) =>
        TryProperty(name, out var field) ? field : throw Error($"is missing \"{name}\"");

    /// <summary>A property that may be missing or null.</summary>
    public bool TryProperty(string name, out JsonField field)
    {
        RequireKind(JsonValueKind.Object);
        if (Value.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            field = new JsonField(Source, $"{Path}.{name}", value);
            return true;
        }

        field = default;
        return false;
    }

    public string GetString()
    {
        RequireKind(JsonValueKind.String);
        return Value.GetString()!;
    }

    public bool GetBoolean() =>
        Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"must be true or false, not {Describe()}"),
        };

    public int GetInt32()
    {
        RequireKind(JsonValueKind.Number);
        return Value.TryGetInt32(out var value) && value >= 0 ? value : throw Error($"must be a non-negative 32-bit integer, not {Describe()}");
    }

    public string? OptionalString(string name) => TryProperty(name, out var field) ? field.GetString() : null;

    public bool OptionalBoolean(string name, bool fallback) => TryProperty(name, out var field) ? field.GetBoolean() : fallback;

    public int OptionalInt32(string name, int fallback) => TryProperty(name, out var field) ? field.GetInt32() : fallback;

    public IEnumerable<JsonField> Items()
    {
        RequireKind(JsonValueKind.Array);
        var index = 0;
        foreach (var item in Value.EnumerateArray())
        {
            yield return new JsonField(Source, $"{Path}[{index++}]", item);
        }
    }

    public TokenizerFormatException Error(string message) => new($"{Source}: {Path} {message}.");

    /// <summary>For a component or option this implementation does not provide.</summary>
    public TokenizerFormatException Unsupported(string what, string supported) =>
        new($"{Source}: {Path}: {what} is not supported (supported: {supported}).");

    private void RequireKind(JsonValueKind kind)
    {
        if (Value.ValueKind != kind)
        {
            throw Error($"must be {Article(kind)}, not {Describe()}");
        }
    }

    private string Describe()
    {
        var raw = Value.ValueKind == JsonValueKind.Undefined ? "nothing" : Value.GetRawText();
        return raw.Length > 60 ? raw[..60] + "..." : raw;
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "a number",
    };
}
