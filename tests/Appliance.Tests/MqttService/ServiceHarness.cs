using Appliance.Contract;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Mqtt;
using Appliance.MqttService;
using Appliance.Pipeline;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Appliance.Tests.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Tests.MqttService;

/// <summary>An <see cref="MqttDoorService"/> against a real broker with a test engine, started and stopped by the test.</summary>
internal sealed class ServiceHarness : IAsyncDisposable
{
    private readonly PipelineService _pipelineService;
    private bool _stopped;

    private ServiceHarness(RequestPipeline pipeline, MqttDoorService service, ServiceStatusBoard board, ApplianceMetrics metrics, string deviceId)
    {
        Pipeline = pipeline;
        _pipelineService = new PipelineService(pipeline);
        Service = service;
        Board = board;
        Metrics = metrics;
        Topics = new ApplianceTopics(deviceId);
    }

    /// <summary>The request path the service feeds (what the host runs as <see cref="PipelineService"/>).</summary>
    public RequestPipeline Pipeline { get; }

    public MqttDoorService Service { get; }

    public ServiceStatusBoard Board { get; }

    public ApplianceMetrics Metrics { get; }

    public ApplianceTopics Topics { get; }

    public WorkerLiveness Liveness { get; private init; } = new(TimeProvider.System);

    /// <summary>What the request path tells the panel's display: tokens as they come, then the answer.</summary>
    public GenerationBoard Generation { get; private init; } = new(TimeProvider.System);

    /// <summary>A service with a unique device id; <paramref name="waitFor"/> is the state to wait for after starting (null = don't wait).</summary>
    public static async Task<ServiceHarness> StartAsync(
        string brokerUrl,
        IGenerationEngineLoader loader,
        Action<RequestLimits>? limits = null,
        Action<BrokerOptions>? broker = null,
        DiscoveryOptions? discovery = null,
        IReadOnlyList<string>? panelButtons = null,
        TimeSpan? shutdownGrace = null,
        ServiceState? waitFor = ServiceState.Ready,
        string modelPath = "/models/test",
        string? deviceId = null,
        ILogger<MqttDoorService>? logger = null,
        Func<BrokerConnectionOptions, IBrokerConnection>? connection = null,
        FleetOptions? fleet = null)
    {
        var requestLimits = new RequestLimits();
        limits?.Invoke(requestLimits);
        var brokerOptions = new BrokerOptions { Url = brokerUrl, ReconnectInitialDelaySeconds = 0.02, ReconnectMaximumDelaySeconds = 0.25 };
        broker?.Invoke(brokerOptions);
        deviceId ??= $"t{Guid.NewGuid():N}"[..13];
        var board = new ServiceStatusBoard();
        var metrics = new ApplianceMetrics();
        var liveness = new WorkerLiveness(TimeProvider.System);
        var generation = new GenerationBoard(TimeProvider.System);
        var pipeline = new RequestPipeline(
            requestLimits,
            new EngineOptions { ModelPath = modelPath, Threads = 1 },
            loader,
            board,
            liveness,
            metrics,
            TimeProvider.System,
            logger ?? DebugLog.Factory.CreateLogger<MqttDoorService>(),
            generation)
        {
            ShutdownGrace = shutdownGrace ?? TimeSpan.FromSeconds(1.5),
        };
        var service = new MqttDoorService(
            pipeline,
            brokerOptions,
            discovery ?? new DiscoveryOptions { Enabled = false },
            deviceId,
            board,
            logger ?? DebugLog.Factory.CreateLogger<MqttDoorService>(),
            TimeProvider.System,
            panelButtons,
            connection,
            fleet);
        var harness = new ServiceHarness(pipeline, service, board, metrics, deviceId) { Liveness = liveness, Generation = generation };
        var reached = waitFor is { } state ? harness.WaitForStateAsync(state) : Task.CompletedTask;
        // As the host does: the pipeline, then the door.
        await harness._pipelineService.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await reached.Within().ConfigureAwait(false);
        return harness;
    }

    public static Task<ServiceHarness> StartAsync(MosquittoBroker broker, ScriptedEngine engine, Action<RequestLimits>? limits = null) =>
        StartAsync($"mqtt://127.0.0.1:{broker.Port}", new ScriptedEngineLoader(engine), limits);

    /// <summary>Completes when the board shows <paramref name="state"/> (now or later).</summary>
    public Task WaitForStateAsync(ServiceState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, ServiceStatus status)
        {
            if (status.State == state)
            {
                reached.TrySetResult();
            }
        }

        Board.Changed += OnChanged;
        if (Board.Current.State == state)
        {
            reached.TrySetResult();
        }

        return reached.Task.ContinueWith(_ => Board.Changed -= OnChanged, TaskScheduler.Default);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        // As the host does: the stopping round in reverse order of starting, then the stops in the same order.
        await ((IHostedLifecycleService)Service).StoppingAsync(CancellationToken.None).Within().ConfigureAwait(false);
        await ((IHostedLifecycleService)_pipelineService).StoppingAsync(CancellationToken.None).Within().ConfigureAwait(false);
        await Service.StopAsync(CancellationToken.None).Within().ConfigureAwait(false);
        await _pipelineService.StopAsync(CancellationToken.None).Within().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Service.Dispose();
        _pipelineService.Dispose();
        Pipeline.Dispose();
        Metrics.Dispose();
    }
}

/// <summary>The service's log in tests: silent, or on the console when APPLIANCE_TEST_LOG is set (for diagnosing a failure).</summary>
internal static class DebugLog
{
    public static ILoggerFactory Factory { get; } = Environment.GetEnvironmentVariable("APPLIANCE_TEST_LOG") is null
        ? NullLoggerFactory.Instance
        : LoggerFactory.Create(builder => builder.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug));
}
