using System.Device.Gpio;
using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>
/// Watches one button: the library calls back on each edge (on its own event thread) and the edge goes to a
/// <see cref="ButtonDecoder"/> stamped with its arrival time on the <see cref="TimeProvider"/>; a timer wakes the
/// decoder for debounce and long-press deadlines. System.Device.Gpio reports no kernel edge timestamp, so arrival
/// time is the press's time: a few milliseconds of scheduling latency, against a long press of seconds.
/// </summary>
internal sealed class ButtonMonitor : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PanelButtonLine _line;
    private readonly ButtonDecoder _decoder;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private bool _listening;
    private bool _disposed;

    public ButtonMonitor(PanelButtonLine line, TimeSpan debounce, TimeSpan longPress, TimeProvider timeProvider, Action<ButtonPress> onPress)
    {
        _line = line;
        _timeProvider = timeProvider;
        _decoder = new ButtonDecoder(
            debounce, longPress, line.InitiallyPressed, kind => onPress(new ButtonPress(line.Button, kind, timeProvider.GetUtcNow())));
        _timer = timeProvider.CreateTimer(_ => OnDeadline(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts listening to both edges; throws <see cref="GpioException"/> when the driver cannot watch the line.</summary>
    public void Start()
    {
        GpioFailure.Guard(null, () => _line.Controller.RegisterCallbackForPinValueChangedEvent(
            _line.Pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge));
        _listening = true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
        }

        if (_listening)
        {
            _listening = false;
            try
            {
                GpioFailure.Guard(null, () => _line.Controller.UnregisterCallbackForPinValueChangedEvent(_line.Pin, OnEdge));
            }
            catch (GpioException)
            {
                // The controller closes the pin, and with it the callback, right after this.
            }
        }
    }

    private void OnEdge(object sender, PinValueChangedEventArgs edge)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var pressed = _line.Assignment.IsActive(edge.ChangeType == PinEventTypes.Rising ? PinValue.High : PinValue.Low);
            _decoder.Edge(pressed, Now());
            Reschedule();
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

    private TimeSpan Now() => _timeProvider.GetElapsedTime(0, _timeProvider.GetTimestamp());
}
