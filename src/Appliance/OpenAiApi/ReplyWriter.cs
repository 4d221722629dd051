using Appliance.Contract;
using Appliance.Http;
using Microsoft.AspNetCore.Http;

namespace Appliance.OpenAiApi;

/// <summary>
/// Asks the pipeline and writes what it answers: one JSON body, or Server-Sent Events (<c>data: {…}\n\n</c> chunks,
/// the usage chunk when asked, then <c>data: [DONE]</c>). Headers wait for the first event, so a refusal before any
/// text (busy, too_large, no model) is still a plain error with its status; an error after text is a last
/// <c>data: {"error":…}</c> event without [DONE].
/// </summary>
internal static class ReplyWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static async Task AnswerAsync(HttpContext context, PipelineClient client, ApplianceRequest request, bool stream, bool includeUsage, string model, ReplyFormat format)
    {
        var header = new ReplyHeader($"{format.IdPrefix}{Guid.NewGuid():N}", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model);
        var response = context.Response;
        var first = true;
        await foreach (var reply in client.AskAsync(request, context).ConfigureAwait(false))
        {
            switch (reply)
            {
                case HttpReplyError error when first:
                    await HttpProblem.FromContract(error.Code, error.Message).WriteAsync(response).ConfigureAwait(false);
                    return;
                case HttpReplyError error:
                    await WriteEventAsync(response, HttpProblem.FromContract(error.Code, error.Message).Json).ConfigureAwait(false);
                    return;
                case HttpReplyFinal final when !stream:
                    await HttpJson.WriteAsync(response, format.Whole(header, final.Reply, FinishReason(final.FinishReason))).ConfigureAwait(false);
                    return;
                case HttpReplyFinal final:
                    StartEvents(response, first);
                    await WriteEventAsync(response, format.Finish(header, final.Reply, FinishReason(final.FinishReason), request.Stream, first)).ConfigureAwait(false);
                    if (includeUsage)
                    {
                        await WriteEventAsync(response, format.Usage(header, final.Reply)).ConfigureAwait(false);
                    }

                    await response.Body.WriteAsync(Done).ConfigureAwait(false);
                    await response.Body.FlushAsync().ConfigureAwait(false);
                    return;
                case HttpReplyDelta delta:
                    StartEvents(response, first);
                    await WriteEventAsync(response, format.Delta(header, delta.Text, first)).ConfigureAwait(false);
                    first = false;
                    break;
            }
        }
    }

    /// <summary>
    /// OpenAI's clients know stop, length and tool_calls: a reply cut by Requests:TimeoutSeconds is cut short like
    /// one cut by max_tokens, so it reports "length".
    /// </summary>
    public static string FinishReason(string contractReason) => contractReason == "timeout" ? "length" : contractReason;

    private static void StartEvents(HttpResponse response, bool first)
    {
        if (first)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
        }
    }

    /// <summary>Writes one event and flushes it. Writes go on after the client left (they complete unsent) until the pipeline ends the request.</summary>
    private static async Task WriteEventAsync(HttpResponse response, byte[] json)
    {
        await response.Body.WriteAsync(DataPrefix).ConfigureAwait(false);
        await response.Body.WriteAsync(json).ConfigureAwait(false);
        await response.Body.WriteAsync(EventEnd).ConfigureAwait(false);
        await response.Body.FlushAsync().ConfigureAwait(false);
    }
}
