using Appliance.Engine;

namespace Appliance.OpenAiApi;

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
        new(reply.Usage.PromptTokens, reply.Usage.CompletionTokens, reply.Usage.PromptTokens + reply.Usage.CompletionTokens, new PromptTokensDetails(reply.Usage.CachedPromptTokens));
}
