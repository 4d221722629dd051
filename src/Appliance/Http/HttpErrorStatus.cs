using Appliance.Contract;
using Microsoft.AspNetCore.Http;

namespace Appliance.Http;

/// <summary>The HTTP status of each contract error code, so `busy`, `too_large` … mean the same on every door.</summary>
internal static class HttpErrorStatus
{
    /// <summary>What a `busy` client is told to wait before trying again, in seconds.</summary>
    public const int RetryAfterSeconds = 1;

    public static int Of(string code) => code switch
    {
        ErrorCodes.BadRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.Busy => StatusCodes.Status429TooManyRequests,
        // No model, or the service is stopping (the only cancellation an HTTP client still hears about).
        ErrorCodes.ModelUnavailable or ErrorCodes.Cancelled => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
