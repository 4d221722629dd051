using Appliance.Engine;
using System.Text.Json;

namespace Appliance.OpenAiApi;

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
