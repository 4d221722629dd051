using Appliance.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Net.Sockets;
using System.Threading.Channels;
using SystemdState = Microsoft.Extensions.Hosting.Systemd.ServiceState;

namespace Appliance.Hosting;

/// <summary>
/// Tells systemd (Type=notify) how the appliance is doing: STATUS= on every state change, READY=1 the first time it is
/// ready (model loaded, broker connected) or in error (e.g. a corrupt model: the service stays up, answers
/// model_unavailable and says why, which restarting it would not fix), WATCHDOG=1 every half watchdog interval while the generation worker is
/// healthy — a hung worker stops the pings and systemd restarts the service — and STOPPING=1 when shutdown starts.
/// Messages leave in the order they were made, from one sender loop, so observers never block on the socket.
/// Does nothing when not started by systemd (no NOTIFY_SOCKET). The datagrams go through Microsoft.Extensions.Hosting.Systemd's
/// <see cref="Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier"/>; its <c>SystemdLifetime</c> is not used because it says READY=1 as soon as the host has
/// started, long before the model is loaded and the broker connected.
/// </summary>
public sealed partial class SystemdNotifyService(
    SystemdEnvironment environment,
    Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier notifier,
    ServiceStatusBoard board,
    WorkerLiveness liveness,
    WatchdogOptions watchdog,
    TimeProvider timeProvider,
    ILogger<SystemdNotifyService> logger) : IHostedLifecycleService, IDisposable
{
    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private bool _notifying;
    private ITimer? _watchdogTimer;
    private Task _sender = Task.CompletedTask;
    private int _readySent;
    private int _stallReported;

    /// <summary>
    /// Must start before the services that change the board (register it first): the current state is sent once,
    /// then every change.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.WatchdogProblem is { } problem)
        {
            LogWatchdogIgnored(problem);
        }

        if (environment.NotifySocket is not { } socket || !notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        if (SystemdEnvironment.NotifySocketProblem(socket) is { } unusable)
        {
            LogNotifyUnavailable(unusable);
            return Task.CompletedTask;
        }

        _notifying = true;
        _sender = Task.Run(SendAllAsync, CancellationToken.None);
        board.Changed += OnStatusChanged;
        Report(board.Current);
        if (environment.WatchdogInterval is { } interval)
        {
            var period = interval / 2;
            _watchdogTimer = timeProvider.CreateTimer(_ => FeedWatchdog(), null, period, period);
            LogWatchdogEnabled(period.TotalSeconds, watchdog.StallLimitSeconds);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_notifying)
        {
            _outgoing.Writer.TryWrite(NotifyMessages.Stopping);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops after the services registered later (the offline status they set is still sent), draining what is queued.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        board.Changed -= OnStatusChanged;
        _watchdogTimer?.Dispose();
        _outgoing.Writer.TryComplete();
        try
        {
            await _sender.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of shutdown time: systemd learns the rest from the process exiting.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        board.Changed -= OnStatusChanged;
        _watchdogTimer?.Dispose();
    }

    private void OnStatusChanged(object? sender, ServiceStatus status) => Report(status);

    private void Report(ServiceStatus status)
    {
        var message = NotifyMessages.Status(status);
        if (status.State is ServiceState.Ready or ServiceState.Error && Interlocked.Exchange(ref _readySent, 1) == 0)
        {
            message = NotifyMessages.Ready + "\n" + message;
        }

        _outgoing.Writer.TryWrite(message);
    }

    private void FeedWatchdog()
    {
        if (liveness.IsHealthy(TimeSpan.FromSeconds(watchdog.StallLimitSeconds)))
        {
            Volatile.Write(ref _stallReported, 0);
            _outgoing.Writer.TryWrite(NotifyMessages.Watchdog);
        }
        else if (Interlocked.Exchange(ref _stallReported, 1) == 0)
        {
            LogWorkerStalled(liveness.SinceLastProgress.TotalSeconds);
        }
    }

    private async Task SendAllAsync()
    {
        var failureReported = false;
        await foreach (var message in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                notifier.Notify(new SystemdState(message));
            }
            catch (SocketException ex) when (!failureReported)
            {
                // systemd may have gone away (or never listened); one warning, then keep trying quietly.
                failureReported = true;
                LogSendFailed(environment.NotifySocket!, ex.Message);
            }
            catch (SocketException)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd notifications disabled: {Problem}")]
    private partial void LogNotifyUnavailable(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd watchdog ignored: {Problem}")]
    private partial void LogWatchdogIgnored(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: pinging every {PeriodSeconds} s while the generation worker progresses within {StallLimitSeconds} s")]
    private partial void LogWatchdogEnabled(double periodSeconds, double stallLimitSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The generation worker has made no progress for {Seconds:F0} s: withholding watchdog pings so systemd restarts the service")]
    private partial void LogWorkerStalled(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not notify systemd on {Socket}: {Problem}")]
    private partial void LogSendFailed(string socket, string problem);
}
