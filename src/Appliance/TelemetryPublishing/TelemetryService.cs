using Appliance.Contract;
using Appliance.State;
using Appliance.Telemetry.Export;
using Appliance.Telemetry.Metrics;
using Appliance.Telemetry.Sensors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.TelemetryPublishing;

/// <summary>
/// Publishes the telemetry JSON on &lt;base&gt;/telemetry when it starts and then every
/// <see cref="TelemetryOptions.IntervalSeconds"/>, and samples for Prometheus' /metrics, which the HTTP server serves.
/// It only observes: the instruments through a
/// MeterListener, the machine through procfs/sysfs; a failed sample or publish is logged and the next period tries again.
/// </summary>
public sealed partial class TelemetryService : BackgroundService
{
    private readonly TelemetryOptions _options;
    private readonly IApplianceMessenger _messenger;
    private readonly ILogger<TelemetryService> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly MetricsAggregator _aggregator;
    private readonly SystemSensors _sensors;
    private readonly Lock _sampling = new();
    private readonly long _startTimestamp;

    public TelemetryService(
        TelemetryOptions options,
        ApplianceMetrics metrics,
        IApplianceMessenger messenger,
        ILogger<TelemetryService> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(messenger);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _messenger = messenger;
        _logger = logger;
        _timeProvider = timeProvider;
        _startTimestamp = timeProvider.GetTimestamp();
        // Listening starts here, with the host, so requests served before the first period are counted.
        _aggregator = new MetricsAggregator(metrics.Meter);
        _sensors = new SystemSensors(options.SensorRoot, timeProvider);
    }

    /// <summary>Samples the instruments and the sensors now.</summary>
    public TelemetryReport Sample()
    {
        lock (_sampling)
        {
            return new TelemetryReport(_timeProvider.GetUtcNow(), _timeProvider.GetElapsedTime(_startTimestamp), _aggregator.Snapshot(), _sensors.Sample());
        }
    }

    public override void Dispose()
    {
        _aggregator.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Created before the first publish so a period that elapses while it runs is not lost.
        using var timer = new PeriodicTimer(_options.Interval, _timeProvider);
        try
        {
            LogSensorsFound();
            do
            {
                await PublishAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The sensors found and what sampling them costs on this very board, once, for the journal.</summary>
    private void LogSensorsFound()
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        try
        {
            // A sensor set of its own, so the measurement leaves the CPU baseline of the published samples alone.
            var cost = SamplingCost.Measure(new SystemSensors(_options.SensorRoot, _timeProvider), samples: 10);
            LogSensors(_logger, _sensors.Root, _sensors.ThermalZoneCount, _sensors.HasJetsonSensors, cost);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            LogSampleFailed(_logger, ex.Message);
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        byte[] payload;
        try
        {
            payload = TelemetryJson.Serialize(Sample());
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            LogSampleFailed(_logger, ex.Message);
            return;
        }

        if (!await _messenger.PublishAsync(ApplianceTopics.TelemetryName, payload, retain: false, cancellationToken).ConfigureAwait(false))
        {
            LogNotPublished(_logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "telemetry: sensors under {Root}: {ThermalZones} thermal zones, Jetson sensors: {Jetson}; sampling costs {Cost}")]
    private static partial void LogSensors(ILogger logger, string root, int thermalZones, bool jetson, SamplingCost cost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "telemetry: sample failed, this period is skipped: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "telemetry: not published (broker not connected)")]
    private static partial void LogNotPublished(ILogger logger);
}
