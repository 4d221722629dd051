using Appliance.Engine;

namespace Appliance.Pipeline;

/// <summary>
/// Where one request's replies go; each front door brings its own (MQTT topics, an HTTP response). The pipeline calls
/// it for at most one final reply or error per request, after the request's deltas.
/// </summary>
internal interface IReplySink
{
    /// <summary>Whom the request counts against for fairness (rate and queue share): one client as far as its door can tell.</summary>
    string ClientKey { get; }

    /// <summary>Sends a piece of streamed text; completes when it was handed on (or dropped).</summary>
    Task SendDeltaAsync(string id, int seq, string delta);

    /// <summary>Sends the answer; the task ends when the door has delivered it (or given up) and never faults.</summary>
    Task SendFinalAsync(string id, EngineReply reply, string finishReason);

    /// <summary>Sends an error (a refusal, a cancellation, a failure); the task ends like <see cref="SendFinalAsync"/>'s.</summary>
    Task SendErrorAsync(string id, string code, string message);
}
