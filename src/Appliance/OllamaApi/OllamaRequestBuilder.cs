using Appliance.Contract;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using System.Text.Json;

namespace Appliance.OllamaApi;

/// <summary>
/// Turns an Ollama body into the pipeline's <see cref="ApplianceRequest"/> with the same limits and rules as an MQTT
/// request (<see cref="GenerationFields"/>, tools through <see cref="ToolFields"/>), or into the error that answers it.
/// </summary>
internal sealed class OllamaRequestBuilder(RequestLimits limits)
{
    private static readonly string[] Roles = ["system", "user", "assistant", "tool"];

    public (ApplianceRequest? Request, HttpProblem? Problem) Chat(OllamaChatBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (messages, problem) = Messages(body.Messages);
        if (problem is not null)
        {
            return (null, problem);
        }

        JsonGrammar? format;
        (format, problem) = Format(body.Format);
        if (problem is not null)
        {
            return (null, problem);
        }

        var (tools, toolProblem) = ToolFields.Read(GenerationFields.Present(body.Tools) is { } given ? WithoutNulls(given) : null, null, format is not null);
        return toolProblem is not null
            ? (null, HttpProblem.BadRequest(toolProblem, "tools"))
            : Build(body, messages!, format, tools);
    }

    public (ApplianceRequest? Request, HttpProblem? Problem) Generate(OllamaGenerateBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body.Prompt))
        {
            return (null, HttpProblem.BadRequest("field 'prompt' must be a non-empty string", "prompt"));
        }

        if (NoImages(body.Images, "images") is { } images)
        {
            return (null, images);
        }

        var (format, problem) = Format(body.Format);
        if (problem is not null)
        {
            return (null, problem);
        }

        List<ChatMessage> messages = body.System is { Length: > 0 } system
            ? [new ChatMessage("system", system), new ChatMessage("user", body.Prompt)]
            : [new ChatMessage("user", body.Prompt)];
        return Build(body, messages, format, null);
    }

    private (ApplianceRequest? Request, HttpProblem? Problem) Build(OllamaGenerationBody body, IReadOnlyList<ChatMessage> messages, JsonGrammar? format, ToolRequest? tools)
    {
        var options = body.Options ?? new OllamaOptionsBody();

        // -1 (no limit) and -2 (fill the context): the room left, as a request that names no length gets.
        var maxTokens = options.NumPredict is -1 or -2 ? null : options.NumPredict;
        if ((GenerationFields.MaxTokens(maxTokens, "options.num_predict", limits)
            ?? GenerationFields.Temperature(options.Temperature, "options.temperature")
            ?? GenerationFields.TopP(options.TopP, "options.top_p")
            ?? Check(options.TopK is < 0, "options.top_k", "must be an integer ≥ 0 (0 = no limit)")
            ?? Check(options.MinP is < 0 or > 1, "options.min_p", "must be a number from 0 to 1")
            ?? Check(options.RepeatPenalty is { } penalty && !(penalty > 0 && double.IsFinite(penalty)), "options.repeat_penalty", "must be a finite number greater than 0")
            ?? Check(options.NumCtx is < 1, "options.num_ctx", "must be an integer ≥ 1")) is { } invalid)
        {
            return (null, invalid);
        }

        var (stop, stopProblem) = GenerationFields.Stop(options.Stop, "options.stop", oneString: false);
        if (stopProblem is not null)
        {
            return (null, stopProblem);
        }

        var sampling = new SamplingRequest
        {
            Temperature = options.Temperature,
            TopP = options.TopP,
            TopK = options.TopK is 0 ? null : options.TopK,
            MinP = options.MinP,
            RepetitionPenalty = options.RepeatPenalty,
            Seed = options.Seed is { } seed ? unchecked((ulong)seed) : null,
        };
        return (GenerationFields.Request(limits, messages, maxTokens, sampling, stop, format, tools, body.Stream != false), null);
    }

    private static (List<ChatMessage>? Messages, HttpProblem? Problem) Messages(List<OllamaMessageBody?>? given) =>
        GenerationFields.Conversation(given, Roles, message => message.Role, Message);

    private static (ChatMessage? Message, HttpProblem? Problem) Message(OllamaMessageBody message, string role, string at)
    {
        if (NoImages(message.Images, $"{at}.images") is { } images)
        {
            return (null, images);
        }

        var (calls, callProblem) = ToolFields.ReadMessageTools(role, GenerationFields.Present(message.ToolCalls) is { } toolCalls ? WithoutNulls(toolCalls) : null, null, at);
        return callProblem is not null
            ? (null, HttpProblem.BadRequest(callProblem, $"{at}.tool_calls"))
            : (new ChatMessage(role, message.Content ?? "") { ToolCalls = calls }, null);
    }

    /// <summary>"json" (any JSON object), a JSON schema, or nothing.</summary>
    private static (JsonGrammar? Format, HttpProblem? Problem) Format(JsonElement? given) => GenerationFields.Present(given) switch
    {
        null => (null, null),
        { ValueKind: JsonValueKind.String } json when json.GetString() == "json" => (JsonGrammar.AnyObject, null),
        { ValueKind: JsonValueKind.String } json when json.GetString()?.Length == 0 => (null, null),
        { ValueKind: JsonValueKind.Object } schema => GenerationFields.Schema(schema, "format"),
        _ => (null, HttpProblem.BadRequest("field 'format' must be \"json\" or a JSON schema object", "format")),
    };

    private static HttpProblem? NoImages(JsonElement? images, string field) =>
        GenerationFields.Present(images) is { } given && !(given.ValueKind == JsonValueKind.Array && given.GetArrayLength() == 0)
            ? HttpProblem.BadRequest($"field '{field}': this model reads text only, images cannot be answered", field)
            : null;

    /// <summary>
    /// The value with every null-valued member left out: Ollama's clients send unset members as null (a schema's
    /// "enum": null, a call's "id": null), which Ollama reads as absent and the shared readers would refuse.
    /// </summary>
    private static JsonElement WithoutNulls(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Copy(value, writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();

        static void Copy(JsonElement node, Utf8JsonWriter writer)
        {
            switch (node.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var member in node.EnumerateObject().Where(member => member.Value.ValueKind != JsonValueKind.Null))
                    {
                        writer.WritePropertyName(member.Name);
                        Copy(member.Value, writer);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in node.EnumerateArray())
                    {
                        Copy(item, writer);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    node.WriteTo(writer);
                    break;
            }
        }
    }

    private static HttpProblem? Check(bool wrong, string field, string rule) => wrong ? HttpProblem.BadRequest($"field '{field}' {rule}", field) : null;
}
