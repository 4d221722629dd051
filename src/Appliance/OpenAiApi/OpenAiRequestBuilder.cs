using Appliance.Contract;
using Appliance.Engine;
using Appliance.Http;
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
    /// <summary>"developer" is OpenAI's newer name for the system role.</summary>
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public (ApplianceRequest? Request, HttpProblem? Problem) Chat(ChatCompletionBody body)
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

        var (tools, toolProblem) = ToolFields.Read(GenerationFields.Present(body.Tools), GenerationFields.Present(body.ToolChoice), format is not null);
        if (toolProblem is not null)
        {
            return (null, HttpProblem.BadRequest(toolProblem, body.ToolChoice is null ? "tools" : "tool_choice"));
        }

        return Build(body, messages!, body.MaxCompletionTokens ?? body.MaxTokens, body.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens", format, tools);
    }

    public (ApplianceRequest? Request, HttpProblem? Problem) Completion(CompletionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var prompt = GenerationFields.Present(body.Prompt) switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() == 1 && list[0].ValueKind == JsonValueKind.String => list[0].GetString(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return (null, HttpProblem.BadRequest("field 'prompt' must be a non-empty string (or an array of one)", "prompt"));
        }

        return Build(body, [new ChatMessage("user", prompt)], body.MaxTokens, "max_tokens", null, null);
    }

    private (ApplianceRequest? Request, HttpProblem? Problem) Build(
        GenerationBody body, IReadOnlyList<ChatMessage> messages, int? maxTokens, string maxTokensField, JsonGrammar? format, ToolRequest? tools)
    {
        if (body.N is { } n && n != 1)
        {
            return (null, HttpProblem.BadRequest($"field 'n' must be 1 (one reply per request), got {n}", "n"));
        }

        if ((GenerationFields.MaxTokens(maxTokens, maxTokensField, limits) ?? GenerationFields.Temperature(body.Temperature, "temperature") ?? GenerationFields.TopP(body.TopP, "top_p")) is { } invalid)
        {
            return (null, invalid);
        }

        var (stop, stopProblem) = GenerationFields.Stop(body.Stop, "stop", oneString: true);
        if (stopProblem is not null)
        {
            return (null, stopProblem);
        }

        // A negative seed is OpenAI's int64; its 64 bits seed the sampler all the same.
        var sampling = new SamplingRequest { Temperature = body.Temperature, TopP = body.TopP, Seed = body.Seed is { } seed ? unchecked((ulong)seed) : null };
        return (GenerationFields.Request(limits, messages, maxTokens, sampling, stop, format, tools, body.Stream == true), null);
    }

    private static (List<ChatMessage>? Messages, HttpProblem? Problem) Messages(List<ChatMessageBody?>? given) =>
        GenerationFields.Conversation(given, Roles, message => message.Role, Message);

    private static (ChatMessage? Message, HttpProblem? Problem) Message(ChatMessageBody message, string role, string at)
    {
        role = role == "developer" ? "system" : role;
        var (content, contentProblem) = Content(GenerationFields.Present(message.Content), $"{at}.content");
        if (contentProblem is not null)
        {
            return (null, contentProblem);
        }

        var (calls, callProblem) = ToolFields.ReadMessageTools(role, GenerationFields.Present(message.ToolCalls), message.ToolCallId, at);
        if (callProblem is not null)
        {
            return (null, HttpProblem.BadRequest(callProblem, at));
        }

        // An assistant turn that only calls tools leaves content out (OpenAI sends null).
        return content is null && calls.Count == 0
            ? (null, HttpProblem.BadRequest($"field '{at}.content' is missing", $"{at}.content"))
            : (new ChatMessage(role, content ?? "") { ToolCalls = calls, ToolCallId = message.ToolCallId }, null);
    }

    /// <summary>A string, or text parts joined by newlines; other parts (images, audio) are refused.</summary>
    private static (string? Text, HttpProblem? Problem) Content(JsonElement? content, string at)
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
                        return (null, HttpProblem.BadRequest($"field '{at}[{index}]' must be a text part {{\"type\":\"text\",\"text\":\"…\"}} (this model reads text only)", $"{at}[{index}]"));
                    }

                    texts.Add(text.GetString()!);
                    index++;
                }

                return (string.Join('\n', texts), null);
            default:
                return (null, HttpProblem.BadRequest($"field '{at}' must be a string or an array of text parts", at));
        }
    }

    /// <summary>{"type":"text"}, {"type":"json_object"} or {"type":"json_schema","json_schema":{"name":…,"schema":{…}}}.</summary>
    private static (JsonGrammar? Format, HttpProblem? Problem) ResponseFormat(JsonElement? given)
    {
        const string Expected = "{\"type\":\"text\"}, {\"type\":\"json_object\"} or {\"type\":\"json_schema\",\"json_schema\":{\"name\":…,\"schema\":{…}}}";
        if (GenerationFields.Present(given) is not { } format)
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
                return GenerationFields.Schema(schema, "response_format.json_schema.schema");

            case "json_schema":
                return (null, HttpProblem.BadRequest("field 'response_format' of type json_schema needs 'json_schema': {\"name\":…,\"schema\":{…}}", "response_format.json_schema"));
            default:
                return (null, HttpProblem.BadRequest($"field 'response_format' must be {Expected}", "response_format"));
        }
    }
}
