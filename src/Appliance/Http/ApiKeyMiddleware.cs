using Microsoft.AspNetCore.Http;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Http;

/// <summary>
/// With keys configured, lets through only requests with `Authorization: Bearer KEY` for one of them, and GET /health
/// (probes carry no key). Keys are compared as SHA-256 digests in constant time: neither the content nor the length of
/// a key leaks through the time a wrong one takes.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IReadOnlyList<string> keys)
{
    private const string BearerPrefix = "Bearer ";

    private readonly byte[][] _keyDigests = [.. keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];

    public Task InvokeAsync(HttpContext context)
    {
        var health = HttpMethods.IsGet(context.Request.Method) && context.Request.Path == HttpEndpoints.HealthPath;
        if (health || Authorized(context.Request))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrors.WriteAsync(
            context,
            StatusCodes.Status401Unauthorized,
            "This appliance needs an API key: send the header Authorization: Bearer KEY with one of the keys in Http:ApiKeys.",
            "invalid_api_key");
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(value[BearerPrefix.Length..].Trim()));
        var match = false;
        foreach (var key in _keyDigests)
        {
            // No early exit: the time is the same whichever key matches.
            match |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return match;
    }
}
