using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using System.Text.Json;

namespace Appliance.OpenAiApi;

/// <summary>
/// Turns an OpenAI body into the pipeline's <see cref="ApplianceRequest"/> with the same limits and rules as an MQTT
/// request (max_tokens cap, stop strings, tools through <see cref="ToolFields"/>, schemas through the shared grammar
/// cache), or into the error that answers it, naming the field.
/// </summary>
internal sealed class OpenAiRequestBuilder(RequestLimits limits)
{
    public const double MaxTemperature = RequestParser.MaxTemperature;

    /// <summary>"developer" is OpenAI's newer name for the system role.</summary>
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public (ApplianceRequest? Request, OpenAiProblem? Problem) Chat(ChatCompletionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (messages, problem) = Messages(body.Messages);
        if (problem is not null)
        {
            return (null, problem);
        }

        JsonGrammar? format;
        (format, problem) = ResponseFormat(body.ResponseFormat);
        if (problem is not null)
        {
            return (null, problem);
        }

        var (tools, toolProblem) = ToolFields.Read(Present(body.Tools), Present(body.ToolChoice), format is not null);
        if (toolProblem is not null)
        {
            return (null, OpenAiProblem.BadRequest(toolProblem, body.ToolChoice is null ? "tools" : "tool_choice"));
        }

        return Build(body, messages!, body.MaxCompletionTokens ?? body.MaxTokens, body.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens", format, tools);
    }

    public (ApplianceRequest? Request, OpenAiProblem? Problem) Completion(CompletionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var prompt = Present(body.Prompt) switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() == 1 && list[0].ValueKind == JsonValueKind.String => list[0].GetString(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return (null, OpenAiProblem.BadRequest("field 'prompt' must be a non-empty string (or an array of one)", "prompt"));
        }

        return Build(body, [new ChatMessage("user", prompt)], body.MaxTokens, "max_tokens", null, null);
    }

    private (ApplianceRequest? Request, OpenAiProblem? Problem) Build(
        GenerationBody body, IReadOnlyList<ChatMessage> messages, int? maxTokens, string maxTokensField, JsonGrammar? format, ToolRequest? tools)
    {
        if (body.N is { } n && n != 1)
        {
            return (null, OpenAiProblem.BadRequest($"field 'n' must be 1 (one reply per request), got {n}", "n"));
        }

        if (maxTokens is { } max)
        {
            if (max < 1)
            {
                return (null, OpenAiProblem.BadRequest($"field '{maxTokensField}' must be an integer ≥ 1, got {max}", maxTokensField));
            }

            if (max > limits.MaxTokensCap)
            {
                return (null, OpenAiProblem.TooLarge($"field '{maxTokensField}' is {max}; the limit is {limits.MaxTokensCap} (Requests:MaxTokensCap)", maxTokensField));
            }
        }

        if (body.Temperature is { } temperature && temperature is not (>= 0 and <= MaxTemperature))
        {
            return (null, OpenAiProblem.BadRequest($"field 'temperature' must be a number from 0 to {MaxTemperature} (0 = greedy), got {temperature}", "temperature"));
        }

        if (body.TopP is { } topP && topP is not (> 0 and <= 1))
        {
            return (null, OpenAiProblem.BadRequest($"field 'top_p' must be a number greater than 0 and at most 1, got {topP}", "top_p"));
        }

        var (stop, stopProblem) = Stop(body.Stop);
        if (stopProblem is not null)
        {
            return (null, stopProblem);
        }

        return (new ApplianceRequest
        {
            Engine = new EngineRequest
            {
                Messages = messages,
                MaxTokens = maxTokens,
                DefaultMaxTokens = limits.DefaultMaxTokens,
                SpecialTokensInContent = limits.SpecialTokensInContent,
                // A negative seed is OpenAI's int64; its 64 bits seed the sampler all the same.
                Sampling = new SamplingRequest { Temperature = body.Temperature, TopP = body.TopP, Seed = body.Seed is { } seed ? unchecked((ulong)seed) : null },
                Stop = stop,
                ResponseFormat = format,
                Tools = tools,
            },
            // A tool call's text is the call's markup: it is sent parsed, once, at the end.
            Stream = body.Stream == true && tools is null,
        }, null);
    }

    private static (List<ChatMessage>? Messages, OpenAiProblem? Problem) Messages(List<ChatMessageBody?>? given)
    {
        if (given is null || given.Count == 0)
        {
            return (null, OpenAiProblem.BadRequest("field 'messages' must hold at least one message", "messages"));
        }

        if (given.Count > RequestParser.MaxMessages)
        {
            return (null, OpenAiProblem.TooLarge($"field 'messages' has {given.Count} messages; the limit is {RequestParser.MaxMessages}", "messages"));
        }

        var messages = new List<ChatMessage>(given.Count);
        for (var index = 0; index < given.Count; index++)
        {
            var at = $"messages[{index}]";
            if (given[index] is not { } message)
            {
                return (null, OpenAiProblem.BadRequest($"field '{at}' must be an object {{\"role\", \"content\"}}", at));
            }

            if (message.Role is not { } role || !Roles.Contains(role, StringComparer.Ordinal))
            {
                return (null, OpenAiProblem.BadRequest($"field '{at}.role' must be one of {string.Join(", ", Roles)}, got {(message.Role is null ? "none" : $"'{message.Role}'")}", $"{at}.role"));
            }

            role = role == "developer" ? "system" : role;
            var (content, contentProblem) = Content(Present(message.Content), $"{at}.content");
            if (contentProblem is not null)
            {
                return (null, contentProblem);
            }

            var (calls, callProblem) = ToolFields.ReadMessageTools(role, Present(message.ToolCalls), message.ToolCallId, at);
            if (callProblem is not null)
            {
                return (null, OpenAiProblem.BadRequest(callProblem, at));
            }

            // An assistant turn that only calls tools leaves content out (OpenAI sends null).
            if (content is null && calls.Count == 0)
            {
                return (null, OpenAiProblem.BadRequest($"field '{at}.content' is missing", $"{at}.content"));
            }

            messages.Add(new ChatMessage(role, content ?? "") { ToolCalls = calls, ToolCallId = message.ToolCallId });
        }

        return (messages, null);
    }

    /// <summary>A string, or text parts joined by newlines; other parts (images, audio) are refused.</summary>
    private static (string? Text, OpenAiProblem? Problem) Content(JsonElement? content, string at)
    {
        switch (content)
        {
            case null:
                return (null, null);
            case { ValueKind: JsonValueKind.String } text:
                return (text.GetString(), null);
            case { ValueKind: JsonValueKind.Array } parts:
                var texts = new List<string>();
                var index = 0;
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object
                        || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                    {
                        return (null, OpenAiProblem.BadRequest($"field '{at}[{index}]' must be a text part {{\"type\":\"text\",\"text\":\"…\"}} (this model reads text only)", $"{at}[{index}]"));
                    }

                    texts.Add(text.GetString()!);
                    index++;
                }

                return (string.Join('\n', texts), null);
            default:
                return (null, OpenAiProblem.BadRequest($"field '{at}' must be a string or an array of text parts", at));
        }
    }

    /// <summary>{"type":"text"}, {"type":"json_object"} or {"type":"json_schema","json_schema":{"name":…,"schema":{…}}}.</summary>
    private static (JsonGrammar? Format, OpenAiProblem? Problem) ResponseFormat(JsonElement? given)
    {
        const string Expected = "{\"type\":\"text\"}, {\"type\":\"json_object\"} or {\"type\":\"json_schema\",\"json_schema\":{\"name\":…,\"schema\":{…}}}";
        if (Present(given) is not { } format)
        {
            return (null, null);
        }

        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String
            ? typeValue.GetString()
            : null;
        switch (type)
        {
            case "text":
                return (null, null);
            case "json_object":
                return (JsonGrammar.AnyObject, null);
            case "json_schema"
                when format.TryGetProperty("json_schema", out var described) && described.ValueKind == JsonValueKind.Object
                && described.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object:
                try
                {
                    return (RequestParser.Grammars.Get(schema), null);
                }
                catch (SchemaNotSupportedException refused)
                {
                    return (null, OpenAiProblem.BadRequest($"field 'response_format.json_schema.schema' is not supported: {refused.Message}", "response_format.json_schema.schema"));
                }

            case "json_schema":
                return (null, OpenAiProblem.BadRequest("field 'response_format' of type json_schema needs 'json_schema': {\"name\":…,\"schema\":{…}}", "response_format.json_schema"));
            default:
                return (null, OpenAiProblem.BadRequest($"field 'response_format' must be {Expected}", "response_format"));
        }
    }

    /// <summary>A string or an array of strings, as many and as long as an MQTT request's.</summary>
    private static (List<string> Stop, OpenAiProblem? Problem) Stop(JsonElement? given)
    {
        var stops = new List<string>();
        var problem = OpenAiProblem.BadRequest(
            $"field 'stop' must be a non-empty string or an array of up to {RequestParser.MaxStopStrings} of them, each at most {RequestParser.MaxStopLength} characters",
            "stop");
        List<JsonElement>? values = Present(given) switch
        {
            null => [],
            { ValueKind: JsonValueKind.String } one => [one],
            { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().ToList(),
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

    /// <summary>A JSON null counts as absent, as OpenAI's clients mean it.</summary>
    private static JsonElement? Present(JsonElement? value) => value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? value : null;
}
