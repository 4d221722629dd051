using Appliance.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Appliance.Http;

/// <summary>GET /health: 200 with the appliance's state while the process answers at all; the state says whether it can serve.</summary>
internal static class HealthEndpoint
{
    public static Task HandleAsync(HttpContext context)
    {
        var status = context.RequestServices.GetRequiredService<ServiceStatusBoard>().Current;
        var report = new HealthReport(status.State.ToWireName(), status.Model, status.Detail, status.Problems);
        return context.Response.WriteAsJsonAsync(report, HttpJsonContext.Default.HealthReport, cancellationToken: context.RequestAborted);
    }
}
