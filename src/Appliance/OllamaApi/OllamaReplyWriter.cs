using Appliance.Contract;
using Appliance.Engine;
using Appliance.Http;
using Microsoft.AspNetCore.Http;
using System.Globalization;
using System.Text.Json;

namespace Appliance.OllamaApi;

/// <summary>
/// Asks the pipeline and writes what it answers as Ollama does: one JSON object, or NDJSON (one object per line, the
/// last with done, done_reason, counts and nanosecond durations). Headers wait for the first event, so a refusal before
/// any text (busy, too_large, no model) is a plain {"error"} with its status; an error after text is a last
/// {"error"} line.
/// </summary>
internal static class OllamaReplyWriter
{
    private static readonly byte[] LineEnd = "\n"u8.ToArray();

    /// <param name="chat">/api/chat (text in message.content) rather than /api/generate (text in response).</param>
    public static async Task AnswerAsync(HttpContext context, PipelineClient client, ApplianceRequest request, bool stream, string model, bool chat)
    {
        var created = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var response = context.Response;
        var first = true;
        await foreach (var reply in client.AskAsync(request, context).ConfigureAwait(false))
        {
            switch (reply)
            {
                case HttpReplyError error when first:
                    await WriteErrorAsync(response, HttpProblem.FromContract(error.Code, error.Message)).ConfigureAwait(false);
                    return;
                case HttpReplyError error:
                    await WriteLineAsync(response, new OllamaError(error.Message)).ConfigureAwait(false);
                    return;
                case HttpReplyFinal final when !stream:
                    await HttpJson.WriteAsync(response, Serialize(Done(model, created, final, chat, final.Reply.Text))).ConfigureAwait(false);
                    return;
                case HttpReplyFinal final:
                    StartLines(response, first);

                    // What was not streamed (a reply with tools is generated whole) comes in one line before the last.
                    var unsent = request.Stream ? "" : final.Reply.Text;
                    if (final.Reply.ToolCalls.Count > 0 || unsent.Length > 0)
                    {
                        await WriteLineAsync(response, Piece(model, created, chat, unsent) with { Message = chat ? Message(unsent, final.Reply) : null }).ConfigureAwait(false);
                    }

                    await WriteLineAsync(response, Done(model, created, final, chat, "") with { Message = chat ? new OllamaReplyMessage("assistant", "") : null }).ConfigureAwait(false);
                    return;
                case HttpReplyDelta delta:
                    StartLines(response, first);
                    await WriteLineAsync(response, Piece(model, created, chat, delta.Text)).ConfigureAwait(false);
                    first = false;
                    break;
            }
        }
    }

    /// <summary>Ollama's error body, {"error":"…"}, with the status of the contract's code (and Retry-After on 429).</summary>
    public static Task WriteErrorAsync(HttpResponse response, HttpProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.WriteAsync(response, Serialize(new OllamaError(problem.Message)));
    }

    /// <summary>
    /// Ollama's clients know stop and length: a reply cut by Requests:TimeoutSeconds is cut short like one cut by
    /// num_predict; a reply that calls tools stopped.
    /// </summary>
    public static string DoneReason(string contractReason) => contractReason switch
    {
        "timeout" => "length",
        "tool_calls" => "stop",
        _ => contractReason,
    };

    private static OllamaReply Piece(string model, string created, bool chat, string text) => new(model, created, Done: false)
    {
        Message = chat ? new OllamaReplyMessage("assistant", text) : null,
        Response = chat ? null : text,
    };

    private static OllamaReply Done(string model, string created, HttpReplyFinal final, bool chat, string text)
    {
        var reply = final.Reply;
        var timings = reply.Timings;
        return new OllamaReply(model, created, Done: true)
        {
            Message = chat ? Message(text, reply) : null,
            Response = chat ? null : text,
            DoneReason = DoneReason(final.FinishReason),
            TotalDuration = Nanoseconds(timings.TotalMs),
            LoadDuration = 0,
            PromptEvalCount = reply.Usage.PromptTokens,
            PromptEvalDuration = Nanoseconds(timings.PrefillMs),
            EvalCount = reply.Usage.CompletionTokens,
            EvalDuration = Nanoseconds(Math.Max(0, timings.TotalMs - timings.TimeToFirstTokenMs)),
        };
    }

    /// <summary>The assistant's message; tool calls with their arguments as objects, as Ollama's clients read them.</summary>
    private static OllamaReplyMessage Message(string text, EngineReply reply) => new("assistant", text)
    {
        ToolCalls = reply.ToolCalls.Count == 0 ? null
            : [.. reply.ToolCalls.Select(call => new OllamaToolCall(new OllamaFunctionCall(call.Name, JsonDocument.Parse(call.ArgumentsJson).RootElement.Clone())))],
    };

    private static long Nanoseconds(double milliseconds) => double.IsFinite(milliseconds) ? (long)(milliseconds * 1_000_000) : 0;

    private static void StartLines(HttpResponse response, bool first)
    {
        if (first)
        {
            response.ContentType = "application/x-ndjson";
        }
    }

    /// <summary>Writes one line and flushes it. Writes go on after the client left (they complete unsent) until the pipeline ends the request.</summary>
    private static async Task WriteLineAsync<T>(HttpResponse response, T value)
    {
        await response.Body.WriteAsync(Serialize(value)).ConfigureAwait(false);
        await response.Body.WriteAsync(LineEnd).ConfigureAwait(false);
        await response.Body.FlushAsync().ConfigureAwait(false);
    }

    private static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)OllamaJsonContext.Wire.GetTypeInfo(typeof(T))!);
}
