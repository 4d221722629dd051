using Appliance.Contract;
using Appliance.Pipeline;
using Microsoft.AspNetCore.Http;
using System.Runtime.CompilerServices;

namespace Appliance.Http;

/// <summary>
/// How the HTTP APIs ask: a request goes through the same admission, queue, worker, limits and telemetry as an MQTT
/// one, and an HTTP client that disconnects cancels it (queued: taken out; running: generation stops).
/// </summary>
internal sealed class PipelineClient(RequestPipeline pipeline)
{
    public const string DisconnectedReason = "the HTTP client disconnected";

    /// <summary>The pipeline's limits, for the APIs' own checks and defaults.</summary>
    public RequestLimits Limits => pipeline.Limits;

    /// <summary>The loaded model's name and context length, or why none is loaded.</summary>
    public bool TryGetModel(out string name, out int contextLength, out string unavailable)
    {
        if (pipeline.TryGetEngine(out var engine, out unavailable))
        {
            (name, contextLength) = (engine.ModelName, engine.ContextLength);
            return true;
        }

        (name, contextLength) = (string.Empty, 0);
        return false;
    }

    /// <summary>
    /// Whether a request's model name names the loaded model: its exact name, or that name with Ollama's ":latest" tag
    /// (Ollama clients, and OpenAI clients that learnt the name from /api/tags, send it so).
    /// </summary>
    public static bool Names(string requested, string loaded) => requested == loaded || requested == $"{loaded}:latest";

    /// <summary>
    /// Asks for an HTTP request: its client is its remote address (one share of the queue and rate per address), and
    /// its going away cancels it.
    /// </summary>
    public IAsyncEnumerable<HttpReplyEvent> AskAsync(ApplianceRequest request, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AskAsync(request, $"http:{context.Connection.RemoteIpAddress}", context.RequestAborted);
    }

    /// <summary>
    /// Admits <paramref name="request"/> for <paramref name="clientKey"/> and yields its replies: deltas (when it
    /// streams), then exactly one <see cref="HttpReplyFinal"/> or <see cref="HttpReplyError"/>. Cancelling
    /// <paramref name="clientGone"/> cancels the request; its error still comes, so the loop always ends.
    /// </summary>
    public async IAsyncEnumerable<HttpReplyEvent> AskAsync(ApplianceRequest request, string clientKey, [EnumeratorCancellation] CancellationToken clientGone)
    {
        var sink = new HttpReplySink(clientKey);
        var pending = pipeline.Admission.Admit(request, pipeline.Admission.NextId("http"), sink, "http");
        using var cancel = pending is null ? default : clientGone.Register(() => pipeline.Admission.Cancel(pending, DisconnectedReason));
        await foreach (var reply in sink.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            yield return reply;
        }
    }
}
