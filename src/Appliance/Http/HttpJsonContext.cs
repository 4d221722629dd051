using System.Text.Json.Serialization;

namespace Appliance.Http;

/// <summary>Source-generated JSON for the HTTP bodies: no reflection, AOT clean.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
