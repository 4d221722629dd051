using Appliance.Contract;
using Appliance.Inference.Structured;
using System.Text.Json;

namespace Appliance.Http;

/// <summary>
/// The checks every HTTP API applies to its generation fields, with the same limits as an MQTT request (the reply
/// length cap, temperature and top_p ranges, stop strings, schemas through the shared grammar cache). Each problem is
/// a 400 (or 413) naming the field as the API spells it.
/// </summary>
internal static class GenerationFields
{
    /// <summary>A requested reply length: at least 1, at most Requests:MaxTokensCap (413 beyond).</summary>
    public static HttpProblem? MaxTokens(int? maxTokens, string field, RequestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return maxTokens switch
        {
            null => null,
            < 1 => HttpProblem.BadRequest($"field '{field}' must be an integer ≥ 1, got {maxTokens}", field),
            { } max when max > limits.MaxTokensCap => HttpProblem.TooLarge($"field '{field}' is {max}; the limit is {limits.MaxTokensCap} (Requests:MaxTokensCap)", field),
            _ => null,
        };
    }

    public static HttpProblem? Temperature(double? temperature, string field) =>
        temperature is { } value && value is not (>= 0 and <= RequestParser.MaxTemperature)
            ? HttpProblem.BadRequest($"field '{field}' must be a number from 0 to {RequestParser.MaxTemperature} (0 = greedy), got {value}", field)
            : null;

    public static HttpProblem? TopP(double? topP, string field) =>
        topP is { } value && value is not (> 0 and <= 1)
            ? HttpProblem.BadRequest($"field '{field}' must be a number greater than 0 and at most 1, got {value}", field)
            : null;

    /// <summary>A string (when <paramref name="oneString"/>) or an array of strings, as many and as long as an MQTT request's.</summary>
    public static (List<string> Stop, HttpProblem? Problem) Stop(JsonElement? given, string field, bool oneString)
    {
        var stops = new List<string>();
        var problem = HttpProblem.BadRequest(
            $"field '{field}' must be {(oneString ? "a non-empty string or " : "")}an array of up to {RequestParser.MaxStopStrings} non-empty strings, each at most {RequestParser.MaxStopLength} characters",
            field);
        List<JsonElement>? values = Present(given) switch
        {
            null => [],
            { ValueKind: JsonValueKind.String } one when oneString => [one],
            { ValueKind: JsonValueKind.Array } many => [.. many.EnumerateArray()],
            _ => null,
        };
        if (values is null || values.Count > RequestParser.MaxStopStrings)
        {
            return (stops, problem);
        }

        foreach (var value in values)
        {
            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= RequestParser.MaxStopLength } stop)
            {
                return (stops, problem);
            }

            stops.Add(stop);
        }

        return (stops, null);
    }

    /// <summary>The grammar that constrains a reply to <paramref name="schema"/>, or the 400 naming what is not supported.</summary>
    public static (JsonGrammar? Grammar, HttpProblem? Problem) Schema(JsonElement schema, string field)
    {
        try
        {
            return (RequestParser.Grammars.Get(schema), null);
        }
        catch (SchemaNotSupportedException refused)
        {
            return (null, HttpProblem.BadRequest($"field '{field}' is not supported: {refused.Message}", field));
        }
    }

    /// <summary>A JSON null counts as absent, as the APIs' clients mean it.</summary>
    public static JsonElement? Present(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? value : null;
}
