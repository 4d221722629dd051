using Microsoft.AspNetCore.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appliance.Http;

/// <summary>Writes a whole JSON body, source-generated (no reflection), for every HTTP API.</summary>
internal static class HttpJson
{
    public static Task WriteAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> type) =>
        WriteAsync(response, JsonSerializer.SerializeToUtf8Bytes(value, type));

    public static async Task WriteAsync(HttpResponse response, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = "application/json";
        await response.Body.WriteAsync(json, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
