namespace Appliance.Engine;

/// <summary>A finished (or cancelled) reply: its text, why it ended, what it cost and how fast it ran.</summary>
public sealed record EngineReply(string Text, ReplyFinishReason FinishReason, TokenUsage Usage, ReplyTimings Timings);

/// <param name="PromptTokens">Tokens of the rendered prompt.</param>
/// <param name="CompletionTokens">Tokens generated (a stop token is not counted).</param>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens);

/// <param name="TimeToFirstTokenMs">From the start of generation to the first generated token (prefill + first sampling).</param>
/// <param name="PrefillTokensPerSecond">Prompt tokens per second of the prefill pass.</param>
/// <param name="DecodeTokensPerSecond">Generated tokens per second after the first.</param>
/// <param name="TotalMs">The whole generation, template and tokenization included.</param>
public sealed record ReplyTimings(double TimeToFirstTokenMs, double PrefillTokensPerSecond, double DecodeTokensPerSecond, double TotalMs);
