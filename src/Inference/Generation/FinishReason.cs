namespace Appliance.Inference.Generation;

/// <summary>Why generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model produced a stop (end-of-sequence) token.</summary>
    EndOfSequence,

    /// <summary>MaxNewTokens were generated.</summary>
    Length,

    /// <summary>The token callback asked to stop (e.g. a stop string appeared in the text).</summary>
    StoppedByCaller,

    /// <summary>The caller's cancellation token fired; the result holds what was generated until then.</summary>
    Cancelled,

    /// <summary>The time-limit token fired; the result holds what was generated until then.</summary>
    Timeout,
}
