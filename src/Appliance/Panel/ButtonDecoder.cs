namespace Appliance.Panel;

/// <summary>
/// Turns one button's raw edges into presses. Pure and single-threaded: time comes in with each edge and with
/// <see cref="Advance"/>, and <see cref="NextDeadline"/> says when the caller should call back.
/// <list type="bullet">
/// <item>Debounce: a new level counts once it has held for the debounce period; a burst of bounces counts from its
/// first edge (so press durations are not stretched by bounces) and a glitch shorter than the period counts not at all.</item>
/// <item>Short press: released before the long-press time, reported at the (debounced) release.</item>
/// <item>Long press: reported the moment the button has been held for the long-press time; its release reports nothing.</item>
/// </list>
/// A button already held when the decoder starts is ignored until it is released.
/// </summary>
public sealed class ButtonDecoder
{
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _longPress;
    private readonly Action<ButtonPressKind> _onPress;
    private bool _accepted;
    private bool _raw;
    private TimeSpan _burstStart;
    private TimeSpan? _settleAt;
    private TimeSpan _pressedAt;
    private TimeSpan? _longPressAt;
    private bool _pressConsumed;
    private TimeSpan _now;

    public ButtonDecoder(TimeSpan debounce, TimeSpan longPress, bool initiallyPressed, Action<ButtonPressKind> onPress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(debounce, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(longPress, debounce);
        ArgumentNullException.ThrowIfNull(onPress);
        _debounce = debounce;
        _longPress = longPress;
        _onPress = onPress;
        _accepted = _raw = initiallyPressed;
        _pressConsumed = initiallyPressed;
    }

    public bool IsPressed => _accepted;

    /// <summary>
    /// When <see cref="Advance"/> next has work to do; null when nothing is pending. While a level change is settling
    /// the long press waits for it: a release that began before the long-press time makes a short press.
    /// </summary>
    public TimeSpan? NextDeadline => _settleAt is not null && _raw != _accepted ? _settleAt : Earliest(_settleAt, _longPressAt);

    /// <summary>The button's (logical) level changed at <paramref name="at"/>: pressed or released.</summary>
    public void Edge(bool pressed, TimeSpan at)
    {
        Advance(at);
        if (pressed == _raw)
        {
            // A repeated level (an edge lost in between): nothing moved.
            return;
        }

        _raw = pressed;
        if (_settleAt is null)
        {
            _burstStart = _now;
        }

        _settleAt = _now + _debounce;

        // Due now: the change itself without debouncing, or a long press that waited for a glitch which just reverted.
        Advance(_now);
    }

    /// <summary>Processes everything due up to <paramref name="now"/>, in time order. Time never runs backwards.</summary>
    public void Advance(TimeSpan now)
    {
        if (now > _now)
        {
            _now = now;
        }

        while (NextDeadline is { } due && due <= _now)
        {
            if (_settleAt == due)
            {
                _settleAt = null;
                Settle(due);
            }
            else
            {
                _longPressAt = null;
                _pressConsumed = true;
                _onPress(ButtonPressKind.LongPress);
            }
        }
    }

    private void Settle(TimeSpan settledAt)
    {
        if (_raw == _accepted)
        {
            return;
        }

        _accepted = _raw;
        if (_accepted)
        {
            _pressedAt = _burstStart;
            _pressConsumed = false;
            _longPressAt = Max(_pressedAt + _longPress, settledAt);
            return;
        }

        _longPressAt = null;
        if (!_pressConsumed)
        {
            _pressConsumed = true;
            _onPress(_burstStart - _pressedAt >= _longPress ? ButtonPressKind.LongPress : ButtonPressKind.ShortPress);
        }
    }

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
