using System.Text.Json;
using Appliance.Engine;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;

namespace Appliance.Contract;

/// <summary>
/// Reads a request's <c>tools</c> (OpenAI's list of {"type":"function","function":{name, description?, parameters?}})
/// and <c>tool_choice</c> ("none", "auto", "required" or {"type":"function","function":{"name":…}}). Every problem
/// is a message naming the field; the tools' parameter schemas are compiled here, so one outside the subset is refused
/// with its keyword and path.
/// </summary>
internal static class ToolFields
{
    public const int MaxTools = 64;
    private const string ChoiceExpected = "\"none\", \"auto\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}";

    /// <summary>
    /// The request's tools and choice (null when it has none, or chose none: then no tools are rendered), or a problem.
    /// </summary>
    public static (ToolRequest? Request, string? Problem) Read(JsonElement? tools, JsonElement? choice, bool hasResponseFormat)
    {
        List<ToolDefinition>? definitions = null;
        TemplateValue? templateTools = null;
        if (tools is { } given)
        {
            string? problem;
            (definitions, templateTools, problem) = ReadTools(given);
            if (problem is not null)
            {
                return (null, problem);
            }
        }

        var picked = ToolChoice.Auto;
        if (choice is { } chosen)
        {
            var (read, problem) = ReadChoice(chosen, definitions);
            if (read is null)
            {
                return (null, problem);
            }

            picked = read;
        }

        if (definitions is null || picked.Mode == ToolChoiceMode.None)
        {
            return (null, null);
        }

        return hasResponseFormat
            ? (null, "give either 'response_format' or 'tools', not both")
            : (new ToolRequest(definitions, templateTools!, picked), null);
    }

    /// <summary>The tools, or a problem.</summary>
    private static (List<ToolDefinition>? Tools, TemplateValue? TemplateTools, string? Problem) ReadTools(JsonElement tools)
    {
        if (tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() is 0 or > MaxTools)
        {
            return (null, null, $"field 'tools' must be an array of 1 to {MaxTools} tools");
        }

        var definitions = new List<ToolDefinition>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function"
                || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                return (null, null, $"field '{at}' must be {{\"type\":\"function\",\"function\":{{\"name\":…,\"parameters\":{{…}}}}}}");
            }

            if (Unknown(tool, "type", "function") is { } extra)
            {
                return (null, null, $"unknown field '{at}.{extra}' (a tool has type and function)");
            }

            if (Unknown(function, "name", "description", "parameters", "strict") is { } unknown)
            {
                return (null, null, $"unknown field '{at}.function.{unknown}' (a function has name, description, parameters and strict)");
            }

            if (!function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 and <= 64 } text)
            {
                return (null, null, $"field '{at}.function.name' must be a string of 1 to 64 characters");
            }

            if (function.TryGetProperty("description", out var description) && description.ValueKind != JsonValueKind.String)
            {
                return (null, null, $"field '{at}.function.description' must be a string");
            }

            if (definitions.Any(d => d.Name == text))
            {
                return (null, null, $"field '{at}.function.name': two tools are named '{text}'");
            }

            // No parameters: the tool takes none, an empty object (as OpenAI reads it).
            var parameters = function.TryGetProperty("parameters", out var given) ? given.Clone() : EmptyObject();
            if (parameters.ValueKind != JsonValueKind.Object)
            {
                return (null, null, $"field '{at}.function.parameters' must be a JSON schema object");
            }

            definitions.Add(new ToolDefinition(text, parameters));
        }

        try
        {
            ToolCallGrammar.Build(definitions);
        }
        catch (SchemaNotSupportedException refused)
        {
            return (null, null, $"field 'tools' is not supported: {refused.Message}");
        }

        return (definitions, TemplateValue.FromJson(tools), null);
    }

    /// <summary>The choice, or a problem; a named tool must be one of <paramref name="tools"/>.</summary>
    private static (ToolChoice? Choice, string? Problem) ReadChoice(JsonElement choice, IReadOnlyList<ToolDefinition>? tools)
    {
        switch (choice.ValueKind)
        {
            case JsonValueKind.String when choice.GetString() is "none":
                return (new ToolChoice(ToolChoiceMode.None), null);
            case JsonValueKind.String when choice.GetString() is "auto":
                return (tools is null ? (null, "field 'tool_choice' needs 'tools'") : (ToolChoice.Auto, null));
            case JsonValueKind.String when choice.GetString() is "required":
                return (tools is null ? (null, "field 'tool_choice' needs 'tools'") : (new ToolChoice(ToolChoiceMode.Required), null));
            case JsonValueKind.Object
                when choice.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "function"
                && choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                var wanted = name.GetString()!;
                if (tools is null || !tools.Any(t => t.Name == wanted))
                {
                    return (null, $"field 'tool_choice.function.name' names '{wanted}', which is not one of the request's tools");
                }

                return (new ToolChoice(ToolChoiceMode.Required, wanted), null);
            default:
                return (null, $"field 'tool_choice' must be {ChoiceExpected}");
        }
    }

    /// <summary>
    /// A message's tool fields: an assistant's <c>tool_calls</c> (OpenAI's [{"id"?, "type":"function","function":{name,
    /// arguments: a JSON object as text, or the object}}]) and a tool message's <c>tool_call_id</c>.
    /// </summary>
    public static (IReadOnlyList<ToolCall> Calls, string? Problem) ReadMessageTools(string role, JsonElement? toolCalls, string? toolCallId, string at)
    {
        if (toolCallId is not null && role != "tool")
        {
            return ([], $"field '{at}.tool_call_id' belongs to a message with role \"tool\"");
        }

        if (toolCalls is not { } given || given.ValueKind == JsonValueKind.Null)
        {
            return ([], null);
        }

        if (role != "assistant")
        {
            return ([], $"field '{at}.tool_calls' belongs to a message with role \"assistant\"");
        }

        if (given.ValueKind != JsonValueKind.Array || given.GetArrayLength() is 0 or > MaxTools)
        {
            return ([], $"field '{at}.tool_calls' must be an array of 1 to {MaxTools} calls");
        }

        var calls = new List<ToolCall>();
        var index = 0;
        foreach (var call in given.EnumerateArray())
        {
            var where = $"{at}.tool_calls[{index++}]";
            // "index": Ollama's clients number their calls (on the call or on its function); the order says the same.
            if (call.ValueKind != JsonValueKind.Object || Unknown(call, "id", "type", "function", "index") is not null
                || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                || (call.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "function"))
                || (call.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.String)
                || Unknown(function, "name", "arguments", "index") is not null
                || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return ([], $"field '{where}' must be {{\"id\":\"…\",\"type\":\"function\",\"function\":{{\"name\":\"…\",\"arguments\":\"{{…}}\"}}}}");
            }

            var arguments = ArgumentsObject(function);
            if (arguments is null)
            {
                return ([], $"field '{where}.function.arguments' must be a JSON object or a string holding one");
            }

            calls.Add(new ToolCall(name.GetString()!, arguments));
        }

        return (calls, null);
    }

    /// <summary>The arguments as compact JSON object text, from an object or a string holding one; null when neither.</summary>
    private static string? ArgumentsObject(JsonElement function)
    {
        if (!function.TryGetProperty("arguments", out var arguments))
        {
            return "{}";
        }

        if (arguments.ValueKind == JsonValueKind.Object)
        {
            return Compact(arguments);
        }

        if (arguments.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var parsed = JsonDocument.Parse(arguments.GetString()!);
            return parsed.RootElement.ValueKind == JsonValueKind.Object ? Compact(parsed.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? Unknown(JsonElement value, params string[] known) =>
        value.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal));

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}");
        return document.RootElement.Clone();
    }
}
