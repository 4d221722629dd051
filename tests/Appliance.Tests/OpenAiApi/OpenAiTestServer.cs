using Appliance.Contract;
using Appliance.Engine;
using Appliance.OpenAiApi;
using Appliance.Tests.Http;
using OpenAI;
using OpenAI.Chat;
using System.ClientModel;
using System.ClientModel.Primitives;

namespace Appliance.Tests.OpenAiApi;

/// <summary>The OpenAI API on real Kestrel over a real pipeline, and the official OpenAI library pointed at it.</summary>
internal static class OpenAiTestServer
{
    public static Task<HttpApiServer> StartAsync(IGenerationEngineLoader loader, Action<RequestLimits>? limits = null, string modelPath = "/models/test") =>
        HttpApiServer.StartAsync(loader, OpenAiEndpoints.Map, limits, modelPath);

    /// <summary>The official client for <paramref name="model"/> on <paramref name="server"/>; no retries, so a refusal is seen as sent.</summary>
    public static ChatClient Chat(this HttpApiServer server, string model) =>
        new(model, new ApiKeyCredential("not-checked"), Options(server));

    public static OpenAIClient Client(this HttpApiServer server) => new(new ApiKeyCredential("not-checked"), Options(server));

    private static OpenAIClientOptions Options(HttpApiServer server) => new()
    {
        Endpoint = new Uri(server.BaseAddress, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };
}
