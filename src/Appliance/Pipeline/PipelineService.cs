using Microsoft.Extensions.Hosting;

namespace Appliance.Pipeline;

/// <summary>
/// Runs the <see cref="RequestPipeline"/> in the host: loads the model at start, whatever the front doors are doing
/// (an HTTP client is served while the broker is unreachable), and stops it in the host's stopping round, before any
/// door stops: every request taken gets its reply while its door is still open.
/// </summary>
internal sealed class PipelineService(RequestPipeline pipeline) : BackgroundService, IHostedLifecycleService
{
    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => pipeline.StopAsync();

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Done already when a host ran the stopping round; a host without one (tests) stops the pipeline here.
        await pipeline.StopAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => pipeline.StartAsync(stoppingToken);
}
