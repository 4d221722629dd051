using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using Appliance.Mqtt;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Appliance.Contract;

/// <summary>
/// Turns request payloads into validated <see cref="ApplianceRequest"/>s, or into the error that answers them, naming
/// the field at fault. Reads JSON with <see cref="Utf8JsonReader"/> (no reflection); the payload size is checked
/// before anything is read. Unknown fields are refused so a misspelt option is reported, not silently ignored.
/// </summary>
public sealed class RequestParser
{
    public const int MaxIdLength = 128;
    public const int MaxMessages = 256;
    public const int MaxStopStrings = 8;
    public const int MaxStopLength = 128;
    public const int MaxReplyToLength = 1024;
    public const double MaxTemperature = 2;

    private static readonly string[] Roles = ["system", "user", "assistant", "tool"];
    // Deep enough for the JSON schemas of response_format; the other fields nest at most three levels.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };
    /// <summary>Compiled response_format schemas, shared by every door that takes one.</summary>
    internal static JsonGrammarCache Grammars { get; } = new();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly RequestLimits _limits;

    public RequestParser(RequestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    /// <summary>Fields a request may carry, for error messages and the README.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        ["id", "prompt", "messages", "max_tokens", "temperature", "top_p", "top_k", "min_p", "repetition_penalty", "seed", "stop", "stream", "reply_to", "response_format", "tools", "tool_choice"];

    /// <summary>Parses a JSON request from `&lt;base&gt;/request`.</summary>
    public RequestParseResult Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _limits.MaxPayloadBytes)
        {
            return RequestParseResult.Failure(new RequestError(
                ErrorCodes.TooLarge, $"the request is {payload.Length} bytes; the limit is {_limits.MaxPayloadBytes} (Requests:MaxPayloadBytes)"));
        }

        var fields = new RequestFields();
        try
        {
            Read(payload, fields);
        }
        catch (JsonException error)
        {
            fields.Fail(ErrorCodes.BadRequest, $"the request is not valid JSON: {FirstSentence(error.Message)}");
        }
        catch (InvalidOperationException error)
        {
            // Utf8JsonReader.GetString throws this for strings that are not valid UTF-8.
            fields.Fail(ErrorCodes.BadRequest, $"the request is not valid UTF-8 JSON: {FirstSentence(error.Message)}");
        }

        return fields.Error is { } failure ? RequestParseResult.Failure(failure, fields.Id, fields.ReplyTo) : Build(fields);
    }

    /// <summary>Parses a plain-text prompt from `&lt;base&gt;/ask`: UTF-8, not blank; answered without streaming.</summary>
    public RequestParseResult ParsePlainPrompt(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _limits.MaxPayloadBytes)
        {
            return RequestParseResult.Failure(new RequestError(
                ErrorCodes.TooLarge, $"the prompt is {payload.Length} bytes; the limit is {_limits.MaxPayloadBytes} (Requests:MaxPayloadBytes)"));
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(payload).Trim();
        }
        catch (DecoderFallbackException)
        {
            return RequestParseResult.Failure(new RequestError(ErrorCodes.BadRequest, "the prompt is not valid UTF-8 text"));
        }

        return text.Length == 0
            ? RequestParseResult.Failure(new RequestError(ErrorCodes.BadRequest, "the prompt is empty"))
            : RequestParseResult.Success(PlainPrompt(text));
    }

    /// <summary>A request for <paramref name="prompt"/> as one user message without max_tokens, not streamed.</summary>
    public ApplianceRequest PlainPrompt(string prompt) =>
        new() { Engine = new EngineRequest { Messages = [new ChatMessage("user", prompt)], DefaultMaxTokens = _limits.DefaultMaxTokens, SpecialTokensInContent = _limits.SpecialTokensInContent }, Stream = false };

    /// <summary>Reads `{"id": "..."}` from `&lt;base&gt;/cancel`.</summary>
    public bool TryParseCancel(ReadOnlySpan<byte> payload, out string id, out string problem)
    {
        id = "";
        problem = "";
        if (payload.Length > _limits.MaxPayloadBytes)
        {
            problem = $"the cancel message is {payload.Length} bytes; the limit is {_limits.MaxPayloadBytes}";
            return false;
        }

        var fields = new RequestFields();
        try
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "a cancel message must be a JSON object {\"id\": \"...\"}";
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "id")
                {
                    ReadId(ref reader, fields);
                }
                else
                {
                    fields.Fail(ErrorCodes.BadRequest, $"unknown field '{name}' (a cancel message has only \"id\")");
                    reader.Skip();
                }
            }

            // Reads past the object: trailing content throws.
            reader.Read();
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            problem = $"the cancel message is not valid JSON: {FirstSentence(error.Message)}";
            return false;
        }

        if (fields.Error is { } failure)
        {
            problem = failure.Message;
            return false;
        }

        if (fields.Id is null)
        {
            problem = "a cancel message needs \"id\"";
            return false;
        }

        id = fields.Id;
        return true;
    }

    private void Read(ReadOnlySpan<byte> payload, RequestFields fields)
    {
        if (payload.Trim(" \t\r\n"u8).IsEmpty)
        {
            fields.Fail(ErrorCodes.BadRequest, "the request is empty; send a JSON object");
            return;
        }

        var reader = new Utf8JsonReader(payload, ReaderOptions);
        reader.Read();

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            fields.Fail(ErrorCodes.BadRequest, $"the request must be a JSON object, got {Describe(ref reader)}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (!seen.Add(name))
            {
                fields.Fail(ErrorCodes.BadRequest, $"field '{name}' appears more than once");
                reader.Skip();
                continue;
            }

            ReadField(ref reader, name, fields);
        }

        // Reads past the object: trailing content (a second value) throws.
        reader.Read();
    }

    private void ReadField(ref Utf8JsonReader reader, string name, RequestFields fields)
    {
        switch (name)
        {
            case "id":
                ReadId(ref reader, fields);
                break;
            case "prompt":
                fields.Prompt = ReadString(ref reader, fields, name, "a non-empty string");
                break;
            case "messages":
                ReadMessages(ref reader, fields);
                break;
            case "max_tokens":
                ReadMaxTokens(ref reader, fields);
                break;
            case "temperature":
                fields.Sampling = fields.Sampling with { Temperature = ReadNumber(ref reader, fields, name, value => value is >= 0 and <= MaxTemperature, $"a number from 0 to {MaxTemperature} (0 = greedy)") };
                break;
            case "top_p":
                fields.Sampling = fields.Sampling with { TopP = ReadNumber(ref reader, fields, name, value => value is > 0 and <= 1, "a number greater than 0 and at most 1") };
                break;
            case "top_k":
                fields.Sampling = fields.Sampling with { TopK = (int?)ReadNumber(ref reader, fields, name, value => value >= 0 && value <= int.MaxValue && value == Math.Floor(value), "an integer ≥ 0 (0 = no limit)") };
                break;
            case "min_p":
                fields.Sampling = fields.Sampling with { MinP = ReadNumber(ref reader, fields, name, value => value is >= 0 and <= 1, "a number from 0 to 1 (0 = no limit)") };
                break;
            case "repetition_penalty":
                fields.Sampling = fields.Sampling with { RepetitionPenalty = ReadNumber(ref reader, fields, name, value => value > 0, "a number greater than 0 (1 = off)") };
                break;
            case "seed":
                ReadSeed(ref reader, fields);
                break;
            case "stop":
                ReadStop(ref reader, fields);
                break;
            case "stream":
                ReadStream(ref reader, fields);
                break;
            case "reply_to":
                ReadReplyTo(ref reader, fields);
                break;
            case "response_format":
                ReadResponseFormat(ref reader, fields);
                break;
            case "tools":
                fields.Tools = JsonElement.ParseValue(ref reader);
                break;
            case "tool_choice":
                fields.ToolChoice = JsonElement.ParseValue(ref reader);
                break;
            default:
                fields.Fail(ErrorCodes.BadRequest, $"unknown field '{name}' (a request may have {string.Join(", ", FieldNames)})");
                reader.Skip();
                break;
        }
    }

    private static void ReadId(ref Utf8JsonReader reader, RequestFields fields)
    {
        string? id = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            // The integer as written, so -0 and 0 stay two ids.
            JsonTokenType.Number when reader.TryGetInt64(out _) => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.Null => null,
            _ => Invalid(ref reader),
        };
        if (id is null)
        {
            return;
        }

        if (id.Length is 0 or > MaxIdLength || id.AsSpan().IndexOfAny("/+#") >= 0 || id.Any(char.IsControl))
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'id' must be 1 to {MaxIdLength} characters without '/', '+', '#' or control characters, got '{Shorten(id)}'");
            return;
        }

        fields.Id = id;

        string? Invalid(ref Utf8JsonReader reader)
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'id' must be a string or an integer, got {Describe(ref reader)}");
            reader.Skip();
            return null;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader, RequestFields fields, string name, string expected)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            default:
                fields.Fail(ErrorCodes.BadRequest, $"field '{name}' must be {expected}, got {Describe(ref reader)}");
                reader.Skip();
                return null;
        }
    }

    private static double? ReadNumber(ref Utf8JsonReader reader, RequestFields fields, string name, Func<double, bool> valid, string expected)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value) && valid(value))
        {
            return value;
        }

        fields.Fail(ErrorCodes.BadRequest, $"field '{name}' must be {expected}, got {Describe(ref reader)}");
        reader.Skip();
        return null;
    }

    private void ReadMaxTokens(ref Utf8JsonReader reader, RequestFields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && value >= 1 && value == Math.Floor(value))
        {
            if (value > _limits.MaxTokensCap)
            {
                fields.Fail(ErrorCodes.TooLarge, $"field 'max_tokens' is {Describe(ref reader)}; the limit is {_limits.MaxTokensCap} (Requests:MaxTokensCap)");
                return;
            }

            fields.MaxTokens = (int)value;
            return;
        }

        fields.Fail(ErrorCodes.BadRequest, $"field 'max_tokens' must be an integer ≥ 1, got {Describe(ref reader)}");
        reader.Skip();
    }

    private static void ReadSeed(ref Utf8JsonReader reader, RequestFields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var seed))
        {
            fields.Sampling = fields.Sampling with { Seed = seed };
            return;
        }

        fields.Fail(ErrorCodes.BadRequest, $"field 'seed' must be an integer from 0 to {ulong.MaxValue}, got {Describe(ref reader)}");
        reader.Skip();
    }

    private static void ReadStream(ref Utf8JsonReader reader, RequestFields fields)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True or JsonTokenType.False:
                fields.Stream = reader.GetBoolean();
                break;
            case JsonTokenType.Null:
                break;
            default:
                fields.Fail(ErrorCodes.BadRequest, $"field 'stream' must be true or false, got {Describe(ref reader)}");
                reader.Skip();
                break;
        }
    }

    private static void ReadReplyTo(ref Utf8JsonReader reader, RequestFields fields)
    {
        if (ReadString(ref reader, fields, "reply_to", "a topic name") is not { } topic)
        {
            return;
        }

        var problem = topic.Length > MaxReplyToLength
            ? $"is longer than {MaxReplyToLength} characters"
            : topic.StartsWith('$') ? "must not start with '$' (broker topics)"
            : topic.Contains('\0', StringComparison.Ordinal) ? "must not contain U+0000"
            : MqttTopic.FindTopicNameProblem(topic);
        if (problem is not null)
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'reply_to' {problem}");
            return;
        }

        fields.ReplyTo = topic;
    }

    /// <summary>
    /// `{"type":"json_schema","schema":{…}}` (the reply is JSON valid against the schema), `{"type":"json_object"}`
    /// (any JSON object) or `{"type":"text"}` (no constraint). The schema is compiled here, so an unsupported one is a
    /// bad_request naming the keyword and where it is.
    /// </summary>
    private static void ReadResponseFormat(ref Utf8JsonReader reader, RequestFields fields)
    {
        const string Expected = "{\"type\":\"json_schema\",\"schema\":{…}}, {\"type\":\"json_object\"} or {\"type\":\"text\"}";
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'response_format' must be {Expected}, got {Describe(ref reader)}");
            reader.Skip();
            return;
        }

        using var format = JsonDocument.ParseValue(ref reader);
        var root = format.RootElement;
        var type = root.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString() : null;
        var unknown = root.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => name is not ("type" or "schema"));
        if (unknown is not null)
        {
            fields.Fail(ErrorCodes.BadRequest, $"unknown field 'response_format.{unknown}' (it has type and, for json_schema, schema)");
            return;
        }

        var hasSchema = root.TryGetProperty("schema", out var schema);
        switch (type)
        {
            case "text" when !hasSchema:
                return;
            case "json_object" when !hasSchema:
                fields.ResponseFormat = JsonGrammar.AnyObject;
                return;
            case "json_schema" when hasSchema:
                try
                {
                    fields.ResponseFormat = Grammars.Get(schema);
                }
                catch (SchemaNotSupportedException refused)
                {
                    fields.Fail(ErrorCodes.BadRequest, $"field 'response_format.schema' is not supported: {refused.Message}");
                }

                return;
            case "json_schema":
                fields.Fail(ErrorCodes.BadRequest, "field 'response_format' of type json_schema needs 'schema'");
                return;
            default:
                fields.Fail(ErrorCodes.BadRequest, $"field 'response_format' must be {Expected}");
                return;
        }
    }

    private static void ReadStop(ref Utf8JsonReader reader, RequestFields fields)
    {
        const string Expected = $"a non-empty string or an array of up to 8 of them, each at most 128 characters";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                AddStop(reader.GetString()!);
                return;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        AddStop(reader.GetString()!);
                    }
                    else
                    {
                        fields.Fail(ErrorCodes.BadRequest, $"field 'stop' must be {Expected}; an entry is {Describe(ref reader)}");
                        reader.Skip();
                    }
                }

                return;
            default:
                fields.Fail(ErrorCodes.BadRequest, $"field 'stop' must be {Expected}, got {Describe(ref reader)}");
                reader.Skip();
                return;
        }

        void AddStop(string stop)
        {
            if (stop.Length is 0 or > MaxStopLength || fields.Stop.Count == MaxStopStrings)
            {
                fields.Fail(ErrorCodes.BadRequest, $"field 'stop' must be {Expected}");
                return;
            }

            fields.Stop.Add(stop);
        }
    }

    private static void ReadMessages(ref Utf8JsonReader reader, RequestFields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'messages' must be an array of {{\"role\", \"content\"}} objects, got {Describe(ref reader)}");
            reader.Skip();
            return;
        }

        var messages = new List<ChatMessage>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadMessage(ref reader, fields, index++) is { } message)
            {
                messages.Add(message);
            }
        }

        if (index > MaxMessages)
        {
            fields.Fail(ErrorCodes.TooLarge, $"field 'messages' has {index} messages; the limit is {MaxMessages}");
        }

        fields.Messages = messages;
    }

    private static ChatMessage? ReadMessage(ref Utf8JsonReader reader, RequestFields fields, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            fields.Fail(ErrorCodes.BadRequest, $"messages[{index}] must be an object {{\"role\", \"content\"}}, got {Describe(ref reader)}");
            reader.Skip();
            return null;
        }

        string? role = null;
        string? content = null;
        JsonElement? toolCalls = null;
        string? toolCallId = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString();
            reader.Read();
            switch (key)
            {
                case "role":
                    role = ReadString(ref reader, fields, $"messages[{index}].role", "\"system\", \"user\" or \"assistant\"");
                    break;
                case "content":
                    content = ReadString(ref reader, fields, $"messages[{index}].content", "a string");
                    break;
                case "tool_calls":
                    toolCalls = JsonElement.ParseValue(ref reader);
                    break;
                case "tool_call_id":
                    toolCallId = ReadString(ref reader, fields, $"messages[{index}].tool_call_id", "a string");
                    break;
                default:
                    fields.Fail(ErrorCodes.BadRequest, $"unknown field 'messages[{index}].{key}' (a message has role and content; an assistant's tool_calls, a tool's tool_call_id)");
                    reader.Skip();
                    break;
            }
        }

        if (role is null || !Roles.Contains(role, StringComparer.Ordinal))
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'messages[{index}].role' must be \"system\", \"user\", \"assistant\" or \"tool\", got {(role is null ? "none" : $"'{Shorten(role)}'")}");
            return null;
        }

        var (calls, problem) = ToolFields.ReadMessageTools(role, toolCalls, toolCallId, $"messages[{index}]");
        if (problem is not null)
        {
            fields.Fail(ErrorCodes.BadRequest, problem);
            return null;
        }

        // An assistant turn that only calls tools may leave content out (OpenAI sends null).
        if (content is null && calls.Count == 0)
        {
            fields.Fail(ErrorCodes.BadRequest, $"field 'messages[{index}].content' is missing");
            return null;
        }

        return new ChatMessage(role, content ?? "") { ToolCalls = calls, ToolCallId = toolCallId };
    }

    private RequestParseResult Build(RequestFields fields)
    {
        RequestParseResult Fail(string message) => RequestParseResult.Failure(new RequestError(ErrorCodes.BadRequest, message), fields.Id, fields.ReplyTo);
        IReadOnlyList<ChatMessage> messages;
        if (fields.Prompt is not null && fields.Messages is not null)
        {
            return Fail("give either 'prompt' or 'messages', not both");
        }

        if (fields.Prompt is { } prompt)
        {
            if (string.IsNullOrWhiteSpace(prompt))
            {
                return Fail("field 'prompt' must be a non-empty string");
            }

            messages = [new ChatMessage("user", prompt)];
        }
        else if (fields.Messages is { } list)
        {
            if (list.Count == 0)
            {
                return Fail("field 'messages' must hold at least one message");
            }

            messages = list;
        }
        else
        {
            return Fail("the request needs 'prompt' (text) or 'messages' (a conversation)");
        }

        var (tools, toolProblem) = ToolFields.Read(fields.Tools, fields.ToolChoice, fields.ResponseFormat is not null);
        if (toolProblem is not null)
        {
            return Fail(toolProblem);
        }

        return RequestParseResult.Success(new ApplianceRequest
        {
            Id = fields.Id,
            Engine = new EngineRequest
            {
                Messages = messages,
                MaxTokens = fields.MaxTokens,
                DefaultMaxTokens = _limits.DefaultMaxTokens,
                SpecialTokensInContent = _limits.SpecialTokensInContent,
                Sampling = fields.Sampling,
                Stop = fields.Stop,
                ResponseFormat = fields.ResponseFormat,
                Tools = tools,
            },
            Stream = fields.Stream,
            ReplyTo = fields.ReplyTo,
        });
    }

    /// <summary>The value under the reader, for messages: "a string", "an object", or the number itself.</summary>
    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan.Length > 32 ? reader.ValueSpan[..32] : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static string FirstSentence(string message) => message.Split('\n')[0];

    /// <summary>What was read so far; the first problem wins.</summary>
    private sealed class RequestFields
    {
        public RequestError? Error { get; private set; }

        public string? Id { get; set; }

        public string? Prompt { get; set; }

        public List<ChatMessage>? Messages { get; set; }

        public int? MaxTokens { get; set; }

        public SamplingRequest Sampling { get; set; } = SamplingRequest.ModelDefaults;

        public List<string> Stop { get; } = [];

        public bool Stream { get; set; } = true;

        public string? ReplyTo { get; set; }

        public JsonGrammar? ResponseFormat { get; set; }

        public JsonElement? Tools { get; set; }

        public JsonElement? ToolChoice { get; set; }

        public void Fail(string code, string message) => Error ??= new RequestError(code, message);
    }
}
