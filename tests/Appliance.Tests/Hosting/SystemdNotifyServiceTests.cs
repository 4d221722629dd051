using Appliance.Hosting;
using Appliance.State;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Tests.Hosting;

public sealed class SystemdNotifyServiceTests : IDisposable
{
    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PingPeriod = WatchdogInterval / 2;

    private readonly NotifySocketListener _systemd = NotifySocketListener.AtPath();
    private readonly ManualTimeProvider _time = new();
    private readonly ServiceStatusBoard _board = new();
    private readonly WorkerLiveness _liveness;

    public SystemdNotifyServiceTests() => _liveness = new WorkerLiveness(_time);

    [Fact]
    public async Task Sends_status_ready_watchdog_and_stopping_in_order()
    {
        using var service = CreateService(_systemd.Address, WatchdogInterval);
        await service.StartAsync(CancellationToken.None);
        Assert.Equal("STATUS=starting", await _systemd.ReceiveAsync());

        _board.Set(ServiceState.Loading, "verifying model files");
        Assert.Equal("STATUS=loading: verifying model files", await _systemd.ReceiveAsync());

        _board.SetModel("tiny-llama", ServiceState.Ready);
        Assert.Equal("READY=1\nSTATUS=ready (tiny-llama)", await _systemd.ReceiveAsync());

        _time.Advance(PingPeriod);
        Assert.Equal("WATCHDOG=1", await _systemd.ReceiveAsync());

        await service.StoppingAsync(CancellationToken.None);
        _board.Set(ServiceState.Offline);
        await service.StopAsync(CancellationToken.None);
        Assert.Equal("STOPPING=1", await _systemd.ReceiveAsync());
        Assert.Equal("STATUS=offline (tiny-llama)", await _systemd.ReceiveAsync());
    }

    [Fact]
    public async Task Sends_ready_only_the_first_time_the_service_is_ready()
    {
        using var service = CreateService(_systemd.Address, watchdogInterval: null);
        await service.StartAsync(CancellationToken.None);
        _board.SetModel("m", ServiceState.Ready);
        _board.Set(ServiceState.Busy, "1 request");
        _board.Set(ServiceState.Ready);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(
            ["STATUS=starting", "READY=1\nSTATUS=ready (m)", "STATUS=busy (m): 1 request", "STATUS=ready (m)"],
            [await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync()]);
    }

    [Fact]
    public async Task A_service_that_starts_in_error_is_up_and_says_why_so_it_sends_ready_once()
    {
        using var service = CreateService(_systemd.Address, watchdogInterval: null);
        await service.StartAsync(CancellationToken.None);
        _board.Set(ServiceState.Error, "model.onnx.data: size 12 bytes, manifest says 4096");
        _board.SetModel("m", ServiceState.Ready);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(
            ["STATUS=starting", "READY=1\nSTATUS=error: model.onnx.data: size 12 bytes, manifest says 4096", "STATUS=ready (m)"],
            [await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync()]);
    }

    [Fact]
    public async Task Withholds_watchdog_pings_while_the_worker_is_stalled_and_resumes_when_it_progresses()
    {
        using var service = CreateService(_systemd.Address, WatchdogInterval, stallLimitSeconds: 5);
        await service.StartAsync(CancellationToken.None);
        Assert.Equal("STATUS=starting", await _systemd.ReceiveAsync());

        // Working, and the last token was longer ago than the stall limit when the ping falls due: no ping.
        _liveness.MarkProgress();
        _time.Advance(PingPeriod);

        // Messages leave in order, so the next one being this status proves no ping was queued before it.
        _board.Set(ServiceState.Busy);
        Assert.Equal("STATUS=busy", await _systemd.ReceiveAsync());
        _time.Advance(PingPeriod);
        _board.Set(ServiceState.Busy, "still on the same token");
        Assert.Equal("STATUS=busy: still on the same token", await _systemd.ReceiveAsync());

        // The worker comes back (idle again): the pings resume at every period.
        _liveness.MarkIdle();
        _time.Advance(PingPeriod * 3);
        Assert.Equal(["WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"], [await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync(), await _systemd.ReceiveAsync()]);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Pings_while_working_within_the_stall_limit()
    {
        using var service = CreateService(_systemd.Address, WatchdogInterval, stallLimitSeconds: 15);
        await service.StartAsync(CancellationToken.None);
        Assert.Equal("STATUS=starting", await _systemd.ReceiveAsync());

        _liveness.MarkProgress();
        _time.Advance(PingPeriod);
        Assert.Equal("WATCHDOG=1", await _systemd.ReceiveAsync());
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Reaches_an_abstract_socket_name()
    {
        using var systemd = NotifySocketListener.Abstract();
        using var service = CreateService(systemd.Address, watchdogInterval: null);
        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal("STATUS=starting", await systemd.ReceiveAsync());
    }

    [Fact]
    public async Task Does_nothing_and_arms_no_timer_without_a_notify_socket()
    {
        using var service = CreateService(notifySocket: null, WatchdogInterval);
        await service.StartAsync(CancellationToken.None);
        _board.SetModel("m", ServiceState.Ready);

        Assert.Equal(0, _time.ActiveTimerCount);
        await service.StoppingAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Keeps_running_when_the_notify_socket_is_unusable()
    {
        using var service = CreateService("relative/notify.sock", WatchdogInterval);
        await service.StartAsync(CancellationToken.None);
        _board.SetModel("m", ServiceState.Ready);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, _time.ActiveTimerCount);
    }

    public void Dispose() => _systemd.Dispose();

    private SystemdNotifyService CreateService(string? notifySocket, TimeSpan? watchdogInterval, double stallLimitSeconds = 60) =>
        new(
            new SystemdEnvironment(notifySocket, watchdogInterval, UnderJournal: false),
            LibraryNotifier.For(notifySocket),
            _board,
            _liveness,
            new WatchdogOptions { StallLimitSeconds = stallLimitSeconds },
            _time,
            NullLogger<SystemdNotifyService>.Instance);
}
