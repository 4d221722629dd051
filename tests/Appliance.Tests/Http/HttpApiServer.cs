using Appliance.Contract;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Pipeline;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Tests.Http;

/// <summary>
/// Real Kestrel on 127.0.0.1 (a free port) with API endpoints mapped by the test over a real <see cref="RequestPipeline"/>
/// (a scripted or a real ONNX Runtime engine), for clients nobody here wrote (the OpenAI library, OllamaSharp, curl).
/// </summary>
internal sealed class HttpApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PipelineService _pipelineService;

    private HttpApiServer(WebApplication app, RequestPipeline pipeline, PipelineService pipelineService, ApplianceMetrics metrics, Uri baseAddress)
    {
        _app = app;
        Pipeline = pipeline;
        _pipelineService = pipelineService;
        Metrics = metrics;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    /// <summary>A plain client for this server (the test's own requests: curl-like shapes, malformed bodies).</summary>
    public HttpClient Client { get; }

    public RequestPipeline Pipeline { get; }

    public ApplianceMetrics Metrics { get; }

    /// <summary>Starts the pipeline on <paramref name="loader"/>'s engine, waits until it is loaded, then serves what <paramref name="map"/> maps.</summary>
    public static async Task<HttpApiServer> StartAsync(
        IGenerationEngineLoader loader,
        Action<IEndpointRouteBuilder, PipelineClient> map,
        Action<RequestLimits>? limits = null,
        string modelPath = "/models/test")
    {
        var requestLimits = new RequestLimits();
        limits?.Invoke(requestLimits);
        var metrics = new ApplianceMetrics();
        var pipeline = new RequestPipeline(
            requestLimits,
            new EngineOptions { ModelPath = modelPath, Threads = 1 },
            loader,
            new ServiceStatusBoard(),
            new WorkerLiveness(TimeProvider.System),
            metrics,
            TimeProvider.System,
            NullLogger.Instance);
        var pipelineService = new PipelineService(pipeline);
        await pipelineService.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await pipelineService.ExecuteTask!.ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app, new PipelineClient(pipeline));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpApiServer(app, pipeline, pipelineService, metrics, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _pipelineService.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _pipelineService.Dispose();
        Pipeline.Dispose();
        Metrics.Dispose();
    }
}
