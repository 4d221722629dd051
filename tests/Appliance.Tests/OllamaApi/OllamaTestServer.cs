using Appliance.Contract;
using Appliance.Engine;
using Appliance.OllamaApi;
using Appliance.Tests.Http;
using OllamaSharp;

namespace Appliance.Tests.OllamaApi;

/// <summary>The Ollama API on real Kestrel over a real pipeline, and OllamaSharp pointed at it.</summary>
internal static class OllamaTestServer
{
    public static Task<HttpApiServer> StartAsync(IGenerationEngineLoader loader, Action<RequestLimits>? limits = null, string modelPath = "/models/test") =>
        HttpApiServer.StartAsync(loader, OllamaEndpoints.Map, limits, modelPath);

    public static OllamaApiClient Ollama(this HttpApiServer server, string model = "scripted-model:latest") => new(server.BaseAddress, model);

    /// <summary>POSTs <paramref name="json"/> as Ollama's own clients do, and returns the status and the body's NDJSON lines.</summary>
    public static async Task<(int Status, string[] Lines)> PostLinesAsync(this HttpApiServer server, string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync(new Uri(path, UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
