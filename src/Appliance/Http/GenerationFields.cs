using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using System.Text.Json;

namespace Appliance.Http;

/// <summary>
/// The checks every HTTP API applies to its generation fields, with the same limits as an MQTT request (the reply
/// length cap, temperature and top_p ranges, stop strings, schemas through the shared grammar cache). Each problem is
/// a 400 (or 413) naming the field as the API spells it.
/// </summary>
internal static class GenerationFields
{
    /// <summary>
    /// A conversation: one to <see cref="RequestParser.MaxMessages"/> messages (413 beyond), each an object whose role is
    /// one of <paramref name="roles"/>; <paramref name="read"/> turns each (with its role and its field path) into a
    /// <see cref="ChatMessage"/> or the problem with it.
    /// </summary>
    public static (List<ChatMessage>? Messages, HttpProblem? Problem) Conversation<T>(
        List<T?>? given, IReadOnlyList<string> roles, Func<T, string?> roleOf, Func<T, string, string, (ChatMessage? Message, HttpProblem? Problem)> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(roleOf);
        ArgumentNullException.ThrowIfNull(read);
        if (given is null || given.Count == 0)
        {
            return (null, HttpProblem.BadRequest("field 'messages' must hold at least one message", "messages"));
        }

        if (given.Count > RequestParser.MaxMessages)
        {
            return (null, HttpProblem.TooLarge($"field 'messages' has {given.Count} messages; the limit is {RequestParser.MaxMessages}", "messages"));
        }

        var messages = new List<ChatMessage>(given.Count);
        for (var index = 0; index < given.Count; index++)
        {
            var at = $"messages[{index}]";
            if (given[index] is not { } message)
            {
                return (null, HttpProblem.BadRequest($"field '{at}' must be an object {{\"role\", \"content\"}}", at));
            }

            if (roleOf(message) is not { } role || !roles.Contains(role, StringComparer.Ordinal))
            {
                return (null, HttpProblem.BadRequest($"field '{at}.role' must be one of {string.Join(", ", roles)}, got {(roleOf(message) is { } other ? $"'{other}'" : "none")}", $"{at}.role"));
            }

            var (converted, problem) = read(message, role, at);
            if (converted is null)
            {
                return (null, problem);
            }

            messages.Add(converted);
        }

        return (messages, null);
    }

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

    /// <summary>
    /// The pipeline's request for an API's checked fields, with the limits' defaults: no length named means the room
    /// left in the context, capped by Requests:DefaultMaxTokens. A reply with tools is not streamed: a tool call's
    /// text is the call's markup, sent parsed, once, at the end.
    /// </summary>
    public static ApplianceRequest Request(
        RequestLimits limits, IReadOnlyList<ChatMessage> messages, int? maxTokens, SamplingRequest sampling, IReadOnlyList<string> stop, JsonGrammar? format, ToolRequest? tools, bool stream)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new ApplianceRequest
        {
            Engine = new EngineRequest
            {
                Messages = messages,
                MaxTokens = maxTokens,
                DefaultMaxTokens = limits.DefaultMaxTokens,
                SpecialTokensInContent = limits.SpecialTokensInContent,
                Sampling = sampling,
                Stop = stop,
                ResponseFormat = format,
                Tools = tools,
            },
            Stream = stream && tools is null,
        };
    }

    /// <summary>
    /// Builds a request from a parsed body; text kept as raw JSON (content, tools, schemas) is read as a string only
    /// then, so an escaped lone surrogate found there is the 400 it is, not a 500.
    /// </summary>
    public static (ApplianceRequest? Request, HttpProblem? Problem) Build<TBody>(TBody body, Func<TBody, (ApplianceRequest? Request, HttpProblem? Problem)> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            return build(body);
        }
        catch (InvalidOperationException error)
        {
            return (null, HttpProblem.BadRequest($"the body holds a string that is not valid text: {error.Message}", null));
        }
    }

    /// <summary>A JSON null counts as absent, as the APIs' clients mean it.</summary>
    public static JsonElement? Present(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? value : null;
}
