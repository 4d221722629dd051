namespace Appliance.Panel;

/// <summary>
/// Plays a <see cref="PanelIndication"/> on the LEDs: writes each level when it changes and sleeps on one timer until
/// the next change of any LED. Every pattern restarts when the indication changes, so the LEDs stay in step.
/// An LED whose line fails is reported once and left alone. Reports go out from the timer callback, outside the lock:
/// <see cref="Show"/> runs inside the status board's change event, and a report changes the board, which must not
/// happen from within its own event.
/// </summary>
internal sealed class LedAnimator : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly Dictionary<PanelRole, PanelLed> _leds;
    private readonly Dictionary<PanelRole, bool> _written = [];
    private readonly List<string> _faults = [];
    private readonly Action<string> _reportFault;
    private PanelIndication _indication = PanelIndication.AllOff;
    private long _startTimestamp;
    private bool _changed;
    private bool _disposed;

    public LedAnimator(IEnumerable<PanelLed> leds, TimeProvider timeProvider, Action<string> reportFault)
    {
        _leds = leds.ToDictionary(led => led.Assignment.Role);
        _timeProvider = timeProvider;
        _reportFault = reportFault;
        _timer = timeProvider.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var role in _leds.Keys)
        {
            // The lines are requested with output value 0.
            _written[role] = false;
        }
    }

    /// <summary>Shows <paramref name="indication"/>; showing the one already shown changes nothing (no restart).</summary>
    public void Show(PanelIndication indication) => Show(indication, initial: false);

    /// <summary>
    /// Shows the indication read when the panel started, unless a change has been shown already: a status read
    /// just before a change must not replace the change's newer indication.
    /// </summary>
    public void ShowInitial(PanelIndication indication) => Show(indication, initial: true);

    private void Show(PanelIndication indication, bool initial)
    {
        lock (_gate)
        {
            if (_disposed || (initial && _changed))
            {
                return;
            }

            _changed |= !initial;
            if (indication == _indication)
            {
                return;
            }

            _indication = indication;
            _startTimestamp = _timeProvider.GetTimestamp();
            Apply();
            if (_faults.Count > 0)
            {
                _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Turns every LED off and stops.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            foreach (var role in _leds.Keys.ToArray())
            {
                Write(role, false);
            }
        }

        ReportFaults();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                Apply();
            }
        }

        ReportFaults();
    }

    private void ReportFaults()
    {
        string[] faults;
        lock (_gate)
        {
            faults = [.. _faults];
            _faults.Clear();
        }

        foreach (var fault in faults)
        {
            _reportFault(fault);
        }
    }

    private void Apply()
    {
        var elapsed = _timeProvider.GetElapsedTime(_startTimestamp);
        TimeSpan? next = null;
        foreach (var role in _leds.Keys.ToArray())
        {
            var pattern = _indication[role];
            Write(role, pattern.IsOn(elapsed));
            if (pattern.NextChange(elapsed) is { } change && (next is null || change < next))
            {
                next = change;
            }
        }

        _timer.Change(next is { } due ? due - elapsed : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void Write(PanelRole role, bool on)
    {
        if (!_leds.TryGetValue(role, out var led) || (_written.TryGetValue(role, out var current) && current == on))
        {
            return;
        }

        try
        {
            led.Write(on);
            _written[role] = on;
        }
        catch (Gpio.GpioException ex)
        {
            _leds.Remove(role);
            _faults.Add($"{led.Assignment.Description} stopped working: {ex.Message}");
        }
    }
}
