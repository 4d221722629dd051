namespace Appliance.Engine;

/// <summary>Why a reply ended.</summary>
public enum ReplyFinishReason
{
    /// <summary>The model ended its turn (a stop token) or a stop string appeared.</summary>
    Stop,

    /// <summary>max_tokens were generated.</summary>
    Length,

    /// <summary>The caller cancelled; the reply holds what was generated until then.</summary>
    Cancelled,
}
