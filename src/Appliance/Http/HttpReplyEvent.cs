using Appliance.Engine;

namespace Appliance.Http;

/// <summary>What the pipeline sends an HTTP request, in order: any number of deltas, then one final reply or one error.</summary>
internal abstract record HttpReplyEvent;

/// <summary>A piece of streamed text.</summary>
internal sealed record HttpReplyDelta(string Text) : HttpReplyEvent;

/// <summary>The answer, with its finish reason as the MQTT contract names it (stop, length, timeout, tool_calls).</summary>
internal sealed record HttpReplyFinal(EngineReply Reply, string FinishReason) : HttpReplyEvent;

/// <summary>A refusal or failure, with its contract error code (busy, too_large, …).</summary>
internal sealed record HttpReplyError(string Code, string Message) : HttpReplyEvent;
