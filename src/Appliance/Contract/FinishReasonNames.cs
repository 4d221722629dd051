using Appliance.Engine;
using Appliance.Inference.Generation;

namespace Appliance.Contract;

/// <summary>The finish_reason a reply's final message carries, named once for every front door.</summary>
public static class FinishReasonNames
{
    /// <summary>A reply that made a tool call finished with <c>tool_calls</c>, as OpenAI's do.</summary>
    public static string Of(EngineReply reply) =>
        (reply ?? throw new ArgumentNullException(nameof(reply))).ToolCalls.Count > 0 ? "tool_calls" : Of(reply.FinishReason);

    public static string Of(FinishReason reason) => reason switch
    {
        FinishReason.EndOfSequence or FinishReason.StoppedByCaller => "stop",
        FinishReason.Length => "length",
        FinishReason.Timeout => "timeout",
        FinishReason.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a finish reason"),
    };
}
