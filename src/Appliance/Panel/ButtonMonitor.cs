using Appliance.Gpio;
using Microsoft.Extensions.Logging;

namespace Appliance.Panel;

/// <summary>
/// Watches one button: a dedicated thread blocks reading the line's edge events and feeds them, with the kernel's
/// timestamps, to a <see cref="ButtonDecoder"/>; a timer wakes the decoder for debounce and long-press deadlines.
/// Kernel timestamps are CLOCK_MONOTONIC, the clock <see cref="TimeProvider.System"/>'s timestamps read on Linux; an
/// event far from "now" (another clock) is stamped on arrival instead.
/// </summary>
internal sealed partial class ButtonMonitor : IDisposable
{
    private static readonly TimeSpan MaxEventClockSkew = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly PanelButtonLine _line;
    private readonly ButtonDecoder _decoder;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly Action<string> _reportFault;
    private readonly ILogger _logger;
    private bool _clockSkewReported;
    private bool _disposed;

    public ButtonMonitor(
        PanelButtonLine line, TimeSpan debounce, TimeSpan longPress, TimeProvider timeProvider,
        Action<ButtonPress> onPress, Action<string> reportFault, ILogger logger)
    {
        _line = line;
        _timeProvider = timeProvider;
        _reportFault = reportFault;
        _logger = logger;
        _decoder = new ButtonDecoder(
            debounce, longPress, line.InitiallyPressed, kind => onPress(new ButtonPress(line.Button, kind, timeProvider.GetUtcNow())));
        _timer = timeProvider.CreateTimer(_ => OnDeadline(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Reads edges on a thread of its own until <paramref name="cancellationToken"/> fires or the line fails.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => ReadEdges(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void ReadEdges(CancellationToken cancellationToken)
    {
        var events = new GpioEdgeEvent[16];
        try
        {
            while (true)
            {
                var count = _line.Request.ReadEdgeEvents(events, cancellationToken);
                lock (_gate)
                {
                    foreach (var edge in events.AsSpan(0, count))
                    {
                        if (edge.Offset == _line.Offset)
                        {
                            _decoder.Edge(edge.Kind == GpioEdgeKind.Rising, StampOf(edge));
                        }
                    }

                    Reschedule();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (GpioException ex)
        {
            _reportFault($"{_line.Assignment.Description} stopped working: {ex.Message}");
        }
    }

    private void OnDeadline()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _decoder.Advance(Now());
                Reschedule();
            }
        }
    }

    private void Reschedule()
    {
        if (_disposed)
        {
            return;
        }

        if (_decoder.NextDeadline is { } deadline)
        {
            var due = deadline - Now();
            _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan StampOf(GpioEdgeEvent edge)
    {
        var now = Now();
        if ((now - edge.Timestamp).Duration() <= MaxEventClockSkew)
        {
            return edge.Timestamp;
        }

        if (!_clockSkewReported)
        {
            _clockSkewReported = true;
            LogClockSkew(_line.Assignment.Description, edge.Timestamp.TotalSeconds, now.TotalSeconds);
        }

        return now;
    }

    private TimeSpan Now() => _timeProvider.GetElapsedTime(0, _timeProvider.GetTimestamp());

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Panel {Button}: edge timestamps ({EventSeconds:F3} s) are not on the monotonic clock ({NowSeconds:F3} s); timing presses by arrival instead")]
    private partial void LogClockSkew(string button, double eventSeconds, double nowSeconds);
}
