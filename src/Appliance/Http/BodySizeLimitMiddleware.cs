using Appliance.Contract;
using Microsoft.AspNetCore.Http;
using System.Globalization;

namespace Appliance.Http;

/// <summary>
/// Answers a body over the limit with 413 in the API's error shape: at once when Content-Length announces it, and when
/// Kestrel (whose MaxRequestBodySize is the same limit) stops an endpoint reading a chunked body past it.
/// </summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next, long limit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > limit)
        {
            await RefuseAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await RefuseAsync(context).ConfigureAwait(false);
        }
    }

    private Task RefuseAsync(HttpContext context)
    {
        // The rest of the body is not read: the connection cannot carry another request.
        context.Response.Headers.Connection = "close";
        return ApiErrors.WriteAsync(
            context,
            StatusCodes.Status413PayloadTooLarge,
            string.Create(CultureInfo.InvariantCulture, $"The request body is larger than this appliance takes ({limit} bytes, Http:MaxRequestBodyBytes)."),
            ErrorCodes.TooLarge);
    }
}
