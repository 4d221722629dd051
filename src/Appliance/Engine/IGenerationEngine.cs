using Appliance.Inference.Sessions;

namespace Appliance.Engine;

/// <summary>
/// A loaded model that answers one request at a time. The service talks only to this, so tests can stand a
/// deterministic engine in for the real one.
/// </summary>
public interface IGenerationEngine : IDisposable
{
    /// <summary>What the status topic and Home Assistant show as the model.</summary>
    string ModelName { get; }

    /// <summary>Positions the model holds: prompt tokens + max_tokens must fit.</summary>
    int ContextLength { get; }

    /// <summary>What the session cache (Engine:SessionCache) did at load; engines without one say Off.</summary>
    SessionCacheResult SessionCache => SessionCacheResult.Off;

    /// <summary>
    /// Generates a reply, handing the text each token makes final to <paramref name="onDelta"/> (once per token, on
    /// the generating thread). Cancelling <paramref name="cancellationToken"/> or <paramref name="timeLimit"/> ends the
    /// generation early without throwing: the reply then holds what was generated so far, finishing
    /// <see cref="Inference.Generation.FinishReason.Cancelled"/> or <see cref="Inference.Generation.FinishReason.Timeout"/>.
    /// </summary>
    /// <exception cref="Inference.Generation.ContextLengthExceededException">The prompt leaves no room for the reply in the context.</exception>
    /// <exception cref="InvalidConversationException">The chat template refuses the conversation.</exception>
    Task<EngineReply> GenerateAsync(EngineRequest request, ReplyDeltaCallback? onDelta, CancellationToken cancellationToken, CancellationToken timeLimit = default);
}
