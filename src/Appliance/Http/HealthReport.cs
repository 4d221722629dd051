using System.Text.Json.Serialization;

namespace Appliance.Http;

/// <summary>GET /health's body: the state the status topic publishes, for probes that speak HTTP.</summary>
public sealed record HealthReport(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("problems")] IReadOnlyDictionary<string, string> Problems);
