using Microsoft.Extensions.Hosting;

namespace Appliance.Pipeline;

/// <summary>
/// Runs the <see cref="RequestPipeline"/> in the host: loads the model at start, whatever the front doors are doing
/// (an HTTP client is served while the broker is unreachable), and stops it before the doors close, so every request
/// taken gets its reply while its door is still open. Registered after the doors: the host stops in reverse order.
/// </summary>
internal sealed class PipelineService(RequestPipeline pipeline) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await pipeline.StopAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => pipeline.StartAsync(stoppingToken);
}
