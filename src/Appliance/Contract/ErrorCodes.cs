namespace Appliance.Contract;

/// <summary>The error codes of the MQTT contract.</summary>
public static class ErrorCodes
{
    /// <summary>The request is malformed: not JSON, a field of the wrong type or out of range, an unknown field.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The payload, max_tokens or the prompt's tokens exceed a limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The queue is full; try again later.</summary>
    public const string Busy = "busy";

    /// <summary>Cancelled by a cancel message, the panel, a model reload or the service stopping.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>No model is loaded (still loading, failed to load, or reloading).</summary>
    public const string ModelUnavailable = "model_unavailable";

    /// <summary>A new request (not a broker redelivery) reuses the id of a request taken for the same reply target.</summary>
    public const string DuplicateId = "duplicate_id";

    /// <summary>Something failed inside the appliance; the log has the details.</summary>
    public const string Internal = "internal";
}
