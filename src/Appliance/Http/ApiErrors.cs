using Microsoft.AspNetCore.Http;

namespace Appliance.Http;

/// <summary>Writes an <see cref="ApiError"/> response.</summary>
internal static class ApiErrors
{
    public static Task WriteAsync(HttpContext context, int status, string message, string code)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(ApiError.InvalidRequest(message, code), HttpJsonContext.Default.ApiError, cancellationToken: context.RequestAborted);
    }
}
