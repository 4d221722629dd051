using System.Text.Json.Serialization;

namespace Appliance.Http;

/// <summary>OpenAI's error body, {"error":{"message","type","code"}}, which OpenAI clients read and Ollama clients show as text.</summary>
public sealed record ApiError([property: JsonPropertyName("error")] ApiErrorDetail Error)
{
    public static ApiError InvalidRequest(string message, string code) => new(new ApiErrorDetail(message, "invalid_request_error", code));
}

public sealed record ApiErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] string Code);
