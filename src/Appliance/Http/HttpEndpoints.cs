using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Appliance.Http;

/// <summary>
/// Every route of the HTTP API goes through <see cref="Map"/>: health and metrics here, the API families (the
/// OpenAI-compatible /v1/…, the Ollama-compatible /api/…) from their own folders through the host's callback.
/// Handlers are RequestDelegates, not delegates with bound parameters, which need the request delegate generator for AOT.
/// </summary>
public static class HttpEndpoints
{
    public const string HealthPath = "/health";
    public const string MetricsPath = "/metrics";

    /// <summary>Unknown paths get the API's JSON error too, not an empty 404.</summary>
    private static Task NotFoundAsync(HttpContext context) =>
        ApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, $"No such endpoint: {context.Request.Method} {context.Request.Path}", "not_found");

    public static void Map(IEndpointRouteBuilder routes, Action<IEndpointRouteBuilder> mapApis)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(mapApis);
        routes.MapGet(HealthPath, HealthEndpoint.HandleAsync);
        routes.MapMethods(MetricsPath, ["GET", "HEAD"], PrometheusEndpoint.HandleAsync);
        mapApis(routes);
        routes.MapFallback(NotFoundAsync);
    }
}
