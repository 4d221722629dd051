using System.Text.Json.Serialization;

namespace Appliance.Http;

/// <summary>
/// OpenAI's error body, {"error":{"message","type","param","code"}}, for every HTTP error the appliance writes: OpenAI
/// clients read it, Ollama clients show it as text.
/// </summary>
public sealed record ApiError([property: JsonPropertyName("error")] ApiErrorDetail Error)
{
    public static ApiError InvalidRequest(string message, string code) => new(new ApiErrorDetail(message, "invalid_request_error", null, code));
}

/// <param name="Param">The request field at fault, or null.</param>
public sealed record ApiErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
