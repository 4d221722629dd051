using Appliance.Inference.Generation;
using Appliance.Inference.Structured;

namespace Appliance.Engine;

/// <summary>
/// A finished (or cancelled, or timed-out) reply: its text, why it ended, what it cost, how fast it ran and the
/// sampling it was generated with (the seed drawn when the request named none). With a tool call, the text is what
/// came before it.
/// </summary>
public sealed record EngineReply(string Text, FinishReason FinishReason, TokenUsage Usage, ReplyTimings Timings, SamplerSettings Sampling)
{
    /// <summary>The tool calls the reply made; empty when it answered with text.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];
}

/// <param name="PromptTokens">Tokens of the rendered prompt.</param>
/// <param name="CompletionTokens">Tokens generated (a stop token is not counted).</param>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Leading prompt tokens a kept prefix supplied (Engine:PrefixCacheSlots); only the rest was prefilled.</summary>
    public int CachedPromptTokens { get; init; }
}

/// <param name="TimeToFirstTokenMs">From the start of generation to the first generated token (prefill + first sampling).</param>
/// <param name="PrefillMs">The forward pass over the prompt.</param>
/// <param name="PrefillTokensPerSecond">Prompt tokens per second of the prefill pass.</param>
/// <param name="DecodeTokensPerSecond">Generated tokens per second after the first.</param>
/// <param name="TotalMs">The whole reply, template and tokenization included.</param>
public sealed record ReplyTimings(double TimeToFirstTokenMs, double PrefillMs, double PrefillTokensPerSecond, double DecodeTokensPerSecond, double TotalMs)
{
    /// <summary>The generator's own timings; <paramref name="total"/> is the whole reply (more than the generator saw).</summary>
    public static ReplyTimings From(GenerationTimings timings, TimeSpan total)
    {
        ArgumentNullException.ThrowIfNull(timings);
        return new(timings.TimeToFirstToken.TotalMilliseconds, timings.Prefill.TotalMilliseconds, timings.PrefillTokensPerSecond, timings.DecodeTokensPerSecond, total.TotalMilliseconds);
    }
}
