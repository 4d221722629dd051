using Appliance.Engine;

namespace Appliance.Contract;

/// <summary>
/// A validated request from `&lt;base&gt;/request` (or a plain prompt from `&lt;base&gt;/ask` or the panel): what the engine
/// generates, as the engine takes it, and how the reply travels back.
/// </summary>
public sealed record ApplianceRequest
{
    /// <summary>The client's id; null when it gave none (the service assigns one).</summary>
    public string? Id { get; init; }

    /// <summary>The reply to generate: conversation, limits, sampling and stop strings.</summary>
    public required EngineRequest Engine { get; init; }

    /// <summary>Publish {id, seq, delta} messages while generating (default true); the final message comes either way.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>3.1.1 clients' response topic (MQTT 5 clients use the Response Topic property).</summary>
    public string? ReplyTo { get; init; }
}
