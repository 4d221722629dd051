using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Appliance.Http;

/// <summary>
/// The Telemetry:MetricsEndpoint listener answers GET /metrics without a key, as it did before Kestrel, and nothing
/// else: its connections are marked when they arrive (by listener, which a request cannot fake, unlike its Host header).
/// </summary>
internal static class MetricsOnlyConnections
{
    private static readonly object Marker = new();

    /// <summary>Kestrel connection middleware for the metrics listener.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Mark { get; } = next => connection =>
    {
        connection.Items[Marker] = Marker;
        return next(connection);
    };

    public static bool IsMetricsOnly(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Marker) == true;

    /// <summary>Sends the metrics listener's requests to /metrics or a 404, and the others on.</summary>
    public static Func<RequestDelegate, RequestDelegate> Middleware(RequestDelegate metrics) => next => context =>
    {
        if (!IsMetricsOnly(context))
        {
            return next(context);
        }

        if (context.Request.Path == HttpEndpoints.MetricsPath && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            return metrics(context);
        }

        return ApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, $"This listener serves GET {HttpEndpoints.MetricsPath} only.", "not_found");
    };
}
