using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Structured;
using System.Text.Json;

namespace Appliance.OpenAiApi;

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
        : [.. calls.Select((call, index) => new ToolCallBody(ToolCallMessage.NewId(), "function", new FunctionCallBody(call.Name, call.ArgumentsJson))
        {
            Index = indexed ? index : null,
        })];

    private static byte[] Serialize(ChatCompletionResponse response) => JsonSerializer.SerializeToUtf8Bytes(response, OpenAiJsonContext.Wire.ChatCompletionResponse);
}
