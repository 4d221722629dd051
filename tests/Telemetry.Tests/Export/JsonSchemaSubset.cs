using System.Globalization;
using System.Text.Json;

namespace Appliance.Telemetry.Tests.Export;

/// <summary>
/// Checks a JSON document against the part of JSON Schema (2020-12) that telemetry.schema.json uses: type (one or
/// several, "integer" = a number without fraction), required, properties, additionalProperties (false or a schema),
/// minimum, maximum and format "date-time". Any other keyword is refused, so the schema cannot silently say more
/// than this checks.
/// </summary>
internal static class JsonSchemaSubset
{
    private static readonly HashSet<string> Keywords =
        ["$schema", "title", "description", "type", "required", "properties", "additionalProperties", "minimum", "maximum", "format"];

    /// <summary>Every violation, as "$.path: problem"; empty when the document conforms.</summary>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement document)
    {
        var errors = new List<string>();
        Check(schema, document, "$", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Keywords.Contains(keyword.Name))
            {
                throw new NotSupportedException($"schema at {path} uses \"{keyword.Name}\", which this checker does not implement");
            }
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            errors.Add($"{path}: expected {type.GetRawText()}, found {value.ValueKind} {value.GetRawText()}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
            {
                errors.Add($"{path}: {number} is below the minimum {minimum.GetDouble()}");
            }

            if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
            {
                errors.Add($"{path}: {number} is above the maximum {maximum.GetDouble()}");
            }
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" && value.ValueKind == JsonValueKind.String
            && !DateTimeOffset.TryParseExact(value.GetString(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"{path}: \"{value.GetString()}\" is not an ISO-8601 date-time");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(item => item.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: required \"{name}\" is missing");
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            if (hasProperties && properties.TryGetProperty(member.Name, out var memberSchema))
            {
                Check(memberSchema, member.Value, memberPath, errors);
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{memberPath}: not allowed by the schema");
            }
            else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, member.Value, memberPath, errors);
            }
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(item => IsOfType(item.GetString()!, value))
        : IsOfType(type.GetString()!, value);

    private static bool IsOfType(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"JSON Schema type \"{type}\""),
    };
}
