using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Appliance.Http;

/// <summary>
/// Reads a request body as one JSON object of type <typeparamref name="T"/>: at most <c>Requests:MaxPayloadBytes</c>
/// (413 beyond, counted as it arrives, whatever Content-Length says), JSON or no Content-Type (415 otherwise, unless any is accepted), valid
/// UTF-8, nested at most 64 deep; every problem is a 400 naming the field when there is one.
/// </summary>
internal static class JsonBodyReader
{
    /// <param name="anyContentType">Read the body as JSON whatever Content-Type says (Ollama's clients, and `curl -d`, send none or a form type).</param>
    public static async Task<(T? Body, HttpProblem? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, JsonTypeInfo<T> type, bool anyContentType = false)
        where T : class
    {
        if (!anyContentType && !IsJson(request.ContentType))
        {
            return (null, new HttpProblem(
                StatusCodes.Status415UnsupportedMediaType,
                $"the body must be JSON (Content-Type: application/json), got Content-Type '{request.ContentType}'",
                null,
                HttpProblem.UnsupportedMediaType));
        }

        var tooLarge = HttpProblem.TooLarge($"the body is larger than {maxBytes} bytes (Requests:MaxPayloadBytes)", null);
        if (request.ContentLength > maxBytes)
        {
            return (null, tooLarge);
        }

        var body = new ArrayBufferWriter<byte>();
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (body.WrittenCount + read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return (null, tooLarge);
            }

            foreach (var segment in read.Buffer)
            {
                body.Write(segment.Span);
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        return Parse(body.WrittenSpan, type);
    }

    /// <summary>The body as <typeparamref name="T"/>, or the 400 that answers it.</summary>
    public static (T? Body, HttpProblem? Problem) Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type)
        where T : class
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, HttpProblem.BadRequest("the body is empty; send a JSON object", null));
        }

        // Checked whole, so text kept as raw JSON (tools, schemas) cannot fail later.
        if (!Utf8.IsValid(json))
        {
            return (null, HttpProblem.BadRequest("the body is not valid UTF-8", null));
        }

        try
        {
            return JsonSerializer.Deserialize(json, type) is { } body
                ? (body, null)
                : (null, HttpProblem.BadRequest("the body must be a JSON object, got null", null));
        }
        catch (JsonException error)
        {
            var field = Field(error.Path);
            return (null, HttpProblem.BadRequest(
                field is null ? $"the body is not a valid request: {FirstLine(error.Message)}" : $"field '{field}' has the wrong type or is not valid JSON: {FirstLine(error.Message)}",
                field));
        }
        catch (InvalidOperationException error)
        {
            // A string escape that is no text (a lone surrogate) fails when it is read as a string.
            return (null, HttpProblem.BadRequest($"the body is not valid JSON text: {FirstLine(error.Message)}", null));
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var charsetOk = !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return charsetOk
            && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"$.messages[0].role" as "messages[0].role"; null for the body itself.</summary>
    private static string? Field(string? path) =>
        path is null || path.Length <= 2 || !path.StartsWith("$.", StringComparison.Ordinal) ? null : path[2..];

    private static string FirstLine(string message) => message.Split('\n')[0];
}
