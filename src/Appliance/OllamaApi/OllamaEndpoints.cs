using Appliance.Contract;
using Appliance.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appliance.OllamaApi;

/// <summary>
/// The Ollama-compatible API (what Home Assistant's Ollama integration, Open WebUI and OllamaSharp call): GET /,
/// /api/version, /api/tags, /api/ps, POST /api/show, /api/chat and /api/generate, answered through the shared
/// request pipeline. Plain request delegates: no parameter binding, nothing generated at run time.
/// </summary>
internal static class OllamaEndpoints
{
    /// <summary>The Ollama API level this speaks (clients check it before using tools or structured output).</summary>
    public const string ApiVersion = "0.12.0";

    /// <summary>When /api/ps says the model unloads: never (it stays loaded while the service runs).</summary>
    private static readonly string NeverExpires = DateTimeOffset.MaxValue.ToString("O", CultureInfo.InvariantCulture);

    public static void Map(IEndpointRouteBuilder routes, PipelineClient client)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(client);
        var builder = new OllamaRequestBuilder(client.Limits);
        routes.MapMethods("/", ["GET", "HEAD"], (RequestDelegate)(context => context.Response.WriteAsync("Ollama is running", context.RequestAborted)));
        routes.MapGet("/api/version", (RequestDelegate)(context => HttpJson.WriteAsync(context.Response, new OllamaVersion(ApiVersion), OllamaJsonContext.Wire.OllamaVersion)));
        routes.MapGet("/api/tags", (RequestDelegate)(context => ListAsync(context, client, loaded: false)));
        routes.MapGet("/api/ps", (RequestDelegate)(context => ListAsync(context, client, loaded: true)));
        routes.MapPost("/api/show", (RequestDelegate)(context => ShowAsync(context, client)));
        routes.MapPost("/api/chat", (RequestDelegate)(context => GenerateAsync(context, client, OllamaJsonContext.Wire.OllamaChatBody, builder.Chat, chat: true)));
        routes.MapPost("/api/generate", (RequestDelegate)(context => GenerateAsync(context, client, OllamaJsonContext.Wire.OllamaGenerateBody, builder.Generate, chat: false)));
    }

    /// <summary>The name Ollama's clients list and send: the model's name with Ollama's tag.</summary>
    public static string TaggedName(string model) => $"{model}:latest";

    /// <summary>/api/tags (installed) and /api/ps (loaded): the one model, or none while it is not loaded.</summary>
    private static Task ListAsync(HttpContext context, PipelineClient client, bool loaded)
    {
        List<OllamaModelEntry> models = client.TryGetModel(out var name, out _, out _)
            ? [loaded ? Entry(name) with { ExpiresAt = NeverExpires, SizeVram = 0 } : Entry(name)]
            : [];
        return HttpJson.WriteAsync(context.Response, new OllamaModelList(models), OllamaJsonContext.Wire.OllamaModelList);
    }

    private static async Task ShowAsync(HttpContext context, PipelineClient client)
    {
        var (body, problem) = await JsonBodyReader.ReadAsync(context.Request, client.Limits.MaxPayloadBytes, OllamaJsonContext.Wire.OllamaShowBody, anyContentType: true).ConfigureAwait(false);
        if (body is null)
        {
            await OllamaReplyWriter.WriteErrorAsync(context.Response, problem!).ConfigureAwait(false);
            return;
        }

        var (name, contextLength, refused) = Model(client, body.Model ?? body.Name);
        if (refused is not null)
        {
            await OllamaReplyWriter.WriteErrorAsync(context.Response, refused).ConfigureAwait(false);
            return;
        }

        var show = new OllamaShowResponse(
            Modelfile: $"# served by the appliance (ONNX Runtime), not an Ollama Modelfile\nFROM {name}\n",
            Parameters: "",
            Template: "",
            Details(),
            new Dictionary<string, JsonElement> { ["general.name"] = JsonSerializer.SerializeToElement(name, OllamaJsonContext.Wire.String), ["appliance.context_length"] = JsonSerializer.SerializeToElement(contextLength, OllamaJsonContext.Wire.Int32) },
            ["completion", "tools"],
            DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await HttpJson.WriteAsync(context.Response, show, OllamaJsonContext.Wire.OllamaShowResponse).ConfigureAwait(false);
    }

    private static async Task GenerateAsync<TBody>(
        HttpContext context,
        PipelineClient client,
        JsonTypeInfo<TBody> type,
        Func<TBody, (ApplianceRequest? Request, HttpProblem? Problem)> build,
        bool chat)
        where TBody : OllamaGenerationBody
    {
        var (body, problem) = await JsonBodyReader.ReadAsync(context.Request, client.Limits.MaxPayloadBytes, type, anyContentType: true).ConfigureAwait(false);
        if (body is null)
        {
            await OllamaReplyWriter.WriteErrorAsync(context.Response, problem!).ConfigureAwait(false);
            return;
        }

        var (loaded, contextLength, refused) = Model(client, body.Model);
        if (refused is not null)
        {
            await OllamaReplyWriter.WriteErrorAsync(context.Response, refused).ConfigureAwait(false);
            return;
        }

        if (body.Options?.NumCtx is { } wanted && wanted > contextLength)
        {
            // More context than the model has cannot be given; less is honoured by the room-left rule.
            await OllamaReplyWriter.WriteErrorAsync(context.Response, HttpProblem.BadRequest($"field 'options.num_ctx' is {wanted}; this model's context is {contextLength} tokens", "options.num_ctx")).ConfigureAwait(false);
            return;
        }

        var built = GenerationFields.Build(body, build);
        if (built.Request is not { } request)
        {
            await OllamaReplyWriter.WriteErrorAsync(context.Response, built.Problem!).ConfigureAwait(false);
            return;
        }

        await OllamaReplyWriter.AnswerAsync(context, client, request, body.Stream != false, TaggedName(loaded), chat).ConfigureAwait(false);
    }

    /// <summary>The loaded model's name and context, or why <paramref name="requested"/> cannot be answered (no model loaded: 503; another model: 404).</summary>
    private static (string Loaded, int ContextLength, HttpProblem? Problem) Model(PipelineClient client, string? requested)
    {
        if (!client.TryGetModel(out var loaded, out var contextLength, out var unavailable))
        {
            return (loaded, contextLength, HttpProblem.FromContract(ErrorCodes.ModelUnavailable, unavailable));
        }

        if (string.IsNullOrEmpty(requested))
        {
            return (loaded, contextLength, HttpProblem.BadRequest($"field 'model' is required; this appliance serves '{TaggedName(loaded)}'", "model"));
        }

        return PipelineClient.Names(requested, loaded)
            ? (loaded, contextLength, null)
            : (loaded, contextLength, new HttpProblem(StatusCodes.Status404NotFound, $"model '{requested}' not found; this appliance serves '{TaggedName(loaded)}'", "model", HttpProblem.ModelNotFound));
    }

    private static OllamaModelEntry Entry(string name) =>
        new(TaggedName(name), TaggedName(name), DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), 0, "", Details());

    private static OllamaModelDetails Details() => new("onnx", "", [], "", "");
}
