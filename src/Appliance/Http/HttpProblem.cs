using Appliance.Contract;
using Microsoft.AspNetCore.Http;
using System.Text.Json;

namespace Appliance.Http;

/// <summary>
/// An error answer: its HTTP status and OpenAI's {"error":{"message","type","param","code"}}. The code is the
/// contract's (bad_request, too_large, busy, model_unavailable …) so it means what it means on MQTT, except
/// model_not_found (404) and unsupported_media_type (415), which only HTTP has.
/// </summary>
internal sealed record HttpProblem(int Status, string Message, string? Param, string Code)
{
    public const string ModelNotFound = "model_not_found";
    public const string UnsupportedMediaType = "unsupported_media_type";

    public static HttpProblem BadRequest(string message, string? param) => new(StatusCodes.Status400BadRequest, message, param, ErrorCodes.BadRequest);

    public static HttpProblem TooLarge(string message, string? param) => new(StatusCodes.Status413PayloadTooLarge, message, param, ErrorCodes.TooLarge);

    /// <summary>A refusal or failure the pipeline reported, with the status its contract code has on every HTTP door.</summary>
    public static HttpProblem FromContract(string code, string message) => new(HttpErrorStatus.Of(code), message, null, code);

    /// <summary>OpenAI's error type for the status.</summary>
    public string Type => Status switch
    {
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    public byte[] Json => JsonSerializer.SerializeToUtf8Bytes(new ApiError(new ApiErrorDetail(Message, Type, Param, Code)), HttpJsonContext.Default.ApiError);

    /// <summary>Answers with this error in OpenAI's shape (or <paramref name="body"/>, an API's own); a 429 also says when to try again.</summary>
    public Task WriteAsync(HttpResponse response, byte[]? body = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = Status;
        if (Status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers.RetryAfter = HttpErrorStatus.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return HttpJson.WriteAsync(response, body ?? Json);
    }
}
