using Appliance.Engine;
using Appliance.Inference.Structured;
using System.Text.Json;

namespace Appliance.OpenAiApi;

/// <summary>Who answers and when: the completion's id, its Unix creation time and the loaded model's name.</summary>
internal sealed record ReplyHeader(string Id, long Created, string Model);

/// <summary>How one endpoint writes a reply: whole, or as streamed chunks (each the JSON of one SSE data line).</summary>
internal abstract class ReplyFormat
{
    public abstract string IdPrefix { get; }

    public abstract byte[] Whole(ReplyHeader header, EngineReply reply, string finishReason);

    /// <summary>A piece of text; <paramref name="first"/> for the first chunk of the reply.</summary>
    public abstract byte[] Delta(ReplyHeader header, string text, bool first);

    /// <summary>The last chunk with a choice: what was not streamed (tool calls, or the text when nothing was) and the finish reason.</summary>
    public abstract byte[] Finish(ReplyHeader header, EngineReply reply, string finishReason, bool textSent, bool first);

    /// <summary>stream_options.include_usage: a chunk with no choices and the usage.</summary>
    public abstract byte[] Usage(ReplyHeader header, EngineReply reply);

    protected static UsageBody UsageOf(EngineReply reply) =>
        new(reply.Usage.PromptTokens, reply.Usage.CompletionTokens, reply.Usage.PromptTokens + reply.Usage.CompletionTokens);
}

/// <summary>/v1/chat/completions: "chat.completion" and "chat.completion.chunk" objects.</summary>
internal sealed class ChatReplyFormat : ReplyFormat
{
    private const string Chunk = "chat.completion.chunk";

    public static ChatReplyFormat Instance { get; } = new();

    public override string IdPrefix => "chatcmpl-";

    public override byte[] Whole(ReplyHeader header, EngineReply reply, string finishReason) => Serialize(
        new ChatCompletionResponse(header.Id, "chat.completion", header.Created, header.Model, [new ChatChoice(0)
        {
            Message = new ChatReplyMessage
            {
                Role = "assistant",
                Content = reply.ToolCalls.Count > 0 && reply.Text.Length == 0 ? null : reply.Text,
                ToolCalls = ToolCalls(reply.ToolCalls, indexed: false),
            },
            FinishReason = finishReason,
        }]) { Usage = UsageOf(reply) });

    public override byte[] Delta(ReplyHeader header, string text, bool first) => Serialize(
        new ChatCompletionResponse(header.Id, Chunk, header.Created, header.Model, [new ChatChoice(0)
        {
            Delta = new ChatReplyMessage { Role = first ? "assistant" : null, Content = text },
        }]));

    public override byte[] Finish(ReplyHeader header, EngineReply reply, string finishReason, bool textSent, bool first) => Serialize(
        new ChatCompletionResponse(header.Id, Chunk, header.Created, header.Model, [new ChatChoice(0)
        {
            Delta = new ChatReplyMessage
            {
                Role = first ? "assistant" : null,
                Content = textSent || reply.Text.Length == 0 ? null : reply.Text,
                ToolCalls = ToolCalls(reply.ToolCalls, indexed: true),
            },
            FinishReason = finishReason,
        }]));

    public override byte[] Usage(ReplyHeader header, EngineReply reply) =>
        Serialize(new ChatCompletionResponse(header.Id, Chunk, header.Created, header.Model, []) { Usage = UsageOf(reply) });

    /// <summary>OpenAI's calls, each with a fresh id; streamed calls also carry their index.</summary>
    private static List<ToolCallBody>? ToolCalls(IReadOnlyList<ToolCall> calls, bool indexed) => calls.Count == 0
        ? null
        : [.. calls.Select((call, index) => new ToolCallBody($"call_{Guid.NewGuid():N}"[..29], "function", new FunctionCallBody(call.Name, call.ArgumentsJson))
        {
            Index = indexed ? index : null,
        })];

    private static byte[] Serialize(ChatCompletionResponse response) => JsonSerializer.SerializeToUtf8Bytes(response, OpenAiJsonContext.Wire.ChatCompletionResponse);
}

/// <summary>/v1/completions: "text_completion" objects, whole or streamed.</summary>
internal sealed class TextReplyFormat : ReplyFormat
{
    private const string Object = "text_completion";

    public static TextReplyFormat Instance { get; } = new();

    public override string IdPrefix => "cmpl-";

    public override byte[] Whole(ReplyHeader header, EngineReply reply, string finishReason) => Serialize(
        new TextCompletionResponse(header.Id, Object, header.Created, header.Model, [new TextChoice(0, reply.Text) { FinishReason = finishReason }]) { Usage = UsageOf(reply) });

    public override byte[] Delta(ReplyHeader header, string text, bool first) =>
        Serialize(new TextCompletionResponse(header.Id, Object, header.Created, header.Model, [new TextChoice(0, text)]));

    public override byte[] Finish(ReplyHeader header, EngineReply reply, string finishReason, bool textSent, bool first) =>
        Serialize(new TextCompletionResponse(header.Id, Object, header.Created, header.Model, [new TextChoice(0, textSent ? "" : reply.Text) { FinishReason = finishReason }]));

    public override byte[] Usage(ReplyHeader header, EngineReply reply) =>
        Serialize(new TextCompletionResponse(header.Id, Object, header.Created, header.Model, []) { Usage = UsageOf(reply) });

    private static byte[] Serialize(TextCompletionResponse response) => JsonSerializer.SerializeToUtf8Bytes(response, OpenAiJsonContext.Wire.TextCompletionResponse);
}
