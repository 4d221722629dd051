using Appliance.Contract;
using Appliance.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appliance.OpenAiApi;

/// <summary>
/// The OpenAI-compatible API: GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions and POST
/// /v1/completions, answered through the shared request pipeline. Plain request delegates: no parameter binding,
/// nothing generated at run time.
/// </summary>
internal static class OpenAiEndpoints
{
    /// <summary>The owner /v1/models names.</summary>
    public const string Owner = "appliance";

    public static void Map(IEndpointRouteBuilder routes, PipelineClient client)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(client);
        var builder = new OpenAiRequestBuilder(client.Limits);
        routes.MapGet("/v1/models", (RequestDelegate)(context => ListModelsAsync(context, client)));
        routes.MapGet("/v1/models/{**id}", (RequestDelegate)(context => GetModelAsync(context, client)));
        routes.MapPost("/v1/chat/completions", (RequestDelegate)(context => GenerateAsync(
            context, client, OpenAiJsonContext.Wire.ChatCompletionBody, builder.Chat, ChatReplyFormat.Instance)));
        routes.MapPost("/v1/completions", (RequestDelegate)(context => GenerateAsync(
            context, client, OpenAiJsonContext.Wire.CompletionBody, builder.Completion, TextReplyFormat.Instance)));
    }

    /// <summary>The loaded model, or an empty list while none is (loading, failed, reloading).</summary>
    private static Task ListModelsAsync(HttpContext context, PipelineClient client)
    {
        var models = client.TryGetModel(out var name, out _, out _) ? [Entry(name)] : Array.Empty<ModelEntry>();
        return HttpJson.WriteAsync(context.Response, new ModelList("list", models), OpenAiJsonContext.Wire.ModelList);
    }

    private static Task GetModelAsync(HttpContext context, PipelineClient client)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (!client.TryGetModel(out var name, out _, out var unavailable))
        {
            return HttpProblem.FromContract(ErrorCodes.ModelUnavailable, unavailable).WriteAsync(context.Response);
        }

        return PipelineClient.Names(id, name)
            ? HttpJson.WriteAsync(context.Response, Entry(name), OpenAiJsonContext.Wire.ModelEntry)
            : UnknownModel(id, name).WriteAsync(context.Response);
    }

    private static async Task GenerateAsync<TBody>(
        HttpContext context,
        PipelineClient client,
        JsonTypeInfo<TBody> type,
        Func<TBody, (ApplianceRequest? Request, HttpProblem? Problem)> build,
        ReplyFormat format)
        where TBody : GenerationBody
    {
        var (body, problem) = await JsonBodyReader.ReadAsync(context.Request, client.Limits.MaxPayloadBytes, type).ConfigureAwait(false);
        if (body is null)
        {
            await problem!.WriteAsync(context.Response).ConfigureAwait(false);
            return;
        }

        if (!client.TryGetModel(out var loaded, out _, out var unavailable))
        {
            await HttpProblem.FromContract(ErrorCodes.ModelUnavailable, unavailable).WriteAsync(context.Response).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(body.Model))
        {
            await HttpProblem.BadRequest($"field 'model' is required; this appliance serves '{loaded}'", "model").WriteAsync(context.Response).ConfigureAwait(false);
            return;
        }

        if (!PipelineClient.Names(body.Model, loaded))
        {
            await UnknownModel(body.Model, loaded).WriteAsync(context.Response).ConfigureAwait(false);
            return;
        }

        var (request, refused) = GenerationFields.Build(body, build);
        if (request is null)
        {
            await refused!.WriteAsync(context.Response).ConfigureAwait(false);
            return;
        }

        var stream = body.Stream == true;
        await ReplyWriter.AnswerAsync(context, client, request, stream, stream && body.StreamOptions?.IncludeUsage == true, loaded, format).ConfigureAwait(false);
    }

    private static ModelEntry Entry(string name) => new(name, "model", 0, Owner);

    private static HttpProblem UnknownModel(string requested, string loaded) =>
        new(StatusCodes.Status404NotFound, $"the model '{requested}' does not exist; this appliance serves '{loaded}'", "model", HttpProblem.ModelNotFound);
}
