using System.Device.Gpio;

namespace Appliance.Tests.Gpio;

/// <summary>One level driven onto an output pin, and when (on the test's clock).</summary>
internal readonly record struct FakePinWrite(TimeSpan At, int Pin, bool High);

/// <summary>
/// A GPIO chip in memory behind System.Device.Gpio's <see cref="GpioDriver"/>, on the test's clock: records every output
/// level with its time, refuses pins held elsewhere as libgpiod does (busy) and pins past its line count, and calls
/// the registered callbacks synchronously when a test scripts an edge, so an edge has been handled when
/// <see cref="InjectEdge"/> returns.
/// </summary>
internal sealed class FakeGpioDriver(GpioChipInfo info, TimeProvider clock) : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PinMode> _open = [];
    private readonly Dictionary<int, bool> _high = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Callback)>> _callbacks = [];
    private readonly List<FakePinWrite> _writes = [];
    private readonly HashSet<int> _heldElsewhere = [];
    private readonly Dictionary<int, Exception> _writeFailures = [];
    private readonly Dictionary<int, Exception> _watchFailures = [];

    public GpioChipInfo Info { get; } = info;

    public bool IsDisposed { get; private set; }

    public TimeSpan Now => clock.GetElapsedTime(0, clock.GetTimestamp());

    public IReadOnlyList<FakePinWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>The open pins and their modes.</summary>
    public IReadOnlyDictionary<int, PinMode> OpenPins
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, PinMode>(_open);
            }
        }
    }

    protected override int PinCount => Info.NumLines;

    /// <summary>Marks a line as held by another process: opening it fails as libgpiod reports a busy line.</summary>
    public void HoldElsewhere(int pin) => _heldElsewhere.Add(pin);

    /// <summary>Every later write to <paramref name="pin"/> throws <paramref name="failure"/>.</summary>
    public void FailWrites(int pin, Exception failure) => _writeFailures[pin] = failure;

    /// <summary>Registering an edge callback on <paramref name="pin"/> throws <paramref name="failure"/>.</summary>
    public void FailWatching(int pin, Exception failure) => _watchFailures[pin] = failure;

    /// <summary>The physical level of a pin (what an output drives, what an input reads).</summary>
    public bool IsHigh(int pin)
    {
        lock (_gate)
        {
            return _high.GetValueOrDefault(pin);
        }
    }

    public void SetHigh(int pin, bool high)
    {
        lock (_gate)
        {
            _high[pin] = high;
        }
    }

    public bool HasCallback(int pin)
    {
        lock (_gate)
        {
            return _callbacks.GetValueOrDefault(pin)?.Count > 0;
        }
    }

    /// <summary>The input's level goes to <paramref name="high"/>: the callbacks that asked for that edge run now, on this thread.</summary>
    public void InjectEdge(int pin, bool high)
    {
        PinChangeEventHandler[] callbacks;
        var edge = high ? PinEventTypes.Rising : PinEventTypes.Falling;
        lock (_gate)
        {
            _high[pin] = high;
            callbacks = [.. _callbacks.GetValueOrDefault(pin, []).Where(c => (c.Types & edge) != 0).Select(c => c.Callback)];
        }

        foreach (var callback in callbacks)
        {
            callback(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= Info.NumLines)
        {
            throw new ArgumentOutOfRangeException(nameof(pinNumber), $"{Info.Name} has {Info.NumLines} lines; there is no line {pinNumber}");
        }

        if (_heldElsewhere.Contains(pinNumber))
        {
            throw new IOException($"Pin {pinNumber} is already in use: Device or resource busy");
        }

        lock (_gate)
        {
            _open[pinNumber] = PinMode.Input;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            _open.Remove(pinNumber);
            _callbacks.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            _open[pinNumber] = mode;

            // An idle input rests where its pull resistor holds it, unless a test set its level.
            if (!_high.ContainsKey(pinNumber) && mode is PinMode.InputPullUp)
            {
                _high[pinNumber] = true;
            }
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        SetPinMode(pinNumber, mode);
        if (mode == PinMode.Output)
        {
            Write(pinNumber, initialValue);
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return _open[pinNumber];
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => IsHigh(pinNumber) ? PinValue.High : PinValue.Low;

    protected override void Write(int pinNumber, PinValue value)
    {
        if (_writeFailures.TryGetValue(pinNumber, out var failure))
        {
            throw failure;
        }

        lock (_gate)
        {
            _high[pinNumber] = value == PinValue.High;
            _writes.Add(new FakePinWrite(Now, pinNumber, value == PinValue.High));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The panel listens through callbacks.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        if (_watchFailures.TryGetValue(pinNumber, out var failure))
        {
            throw failure;
        }

        lock (_gate)
        {
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                _callbacks[pinNumber] = list = [];
            }

            list.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            _callbacks.GetValueOrDefault(pinNumber)?.RemoveAll(c => c.Callback == callback);
        }
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
