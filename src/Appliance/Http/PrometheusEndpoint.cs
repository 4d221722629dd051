using Appliance.Telemetry.Export;
using Appliance.TelemetryPublishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Text;

namespace Appliance.Http;

/// <summary>GET /metrics: the telemetry sample in Prometheus' text exposition; 500 with the reason when a sensor cannot be read.</summary>
internal static partial class PrometheusEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        string exposition;
        try
        {
            exposition = PrometheusText.Render(context.RequestServices.GetRequiredService<TelemetryService>().Sample());
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException)
        {
            LogRenderFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PrometheusEndpoint)), ex.Message);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"cannot read the metrics: {ex.Message}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = PrometheusText.ContentType;
        context.Response.ContentLength = Encoding.UTF8.GetByteCount(exposition);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(exposition, context.RequestAborted).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "http: cannot render the metrics: {Reason}")]
    private static partial void LogRenderFailed(ILogger logger, string reason);
}
