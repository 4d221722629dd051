using Appliance.Gpio;
using Appliance.State;

namespace Appliance.Panel;

/// <summary>
/// Keeps the LCD in step with the <see cref="ServiceStatusBoard"/> and the <see cref="GenerationBoard"/>, as
/// <see cref="LedAnimator"/> does the LEDs: redraws on every change, and scrolls a last answer wider than the display
/// one character per <see cref="ScrollInterval"/> on one timer. The rate changes with every token, and writing the
/// display takes milliseconds over I2C on the thread that reports the token, so a change of the rate alone is drawn at
/// most once per <see cref="RefreshInterval"/> (the rest from the timer). A display that fails is reported once (from
/// the timer, never inside a board's change event) and left alone.
/// </summary>
internal sealed class LcdAnimator : IDisposable
{
    public static readonly TimeSpan ScrollInterval = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly PanelLcd _lcd;
    private readonly PanelLcdOptions _options;
    private readonly ITimer _timer;
    private readonly TimeProvider _timeProvider;
    private readonly Action<string> _reportFault;
    private ServiceStatus _status;
    private GenerationProgress _generation;
    private int _scrollStep;
    private string? _fault;
    private bool _failed;
    private bool _disposed;
    private bool _refreshPending;
    private long _renderedAt;

    public LcdAnimator(PanelLcd lcd, PanelLcdOptions options, ServiceStatus status, GenerationProgress generation, TimeProvider timeProvider, Action<string> reportFault)
    {
        _lcd = lcd;
        _options = options;
        _status = status;
        _generation = generation;
        _reportFault = reportFault;
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            Render();
        }
    }

    public void Show(ServiceStatus status)
    {
        lock (_gate)
        {
            _status = status;
            Render();
        }
    }

    public void Show(GenerationProgress generation)
    {
        lock (_gate)
        {
            var rateOnly = generation.Generating && _generation.Generating && generation.LastAnswer == _generation.LastAnswer;
            if (generation.LastAnswer != _generation.LastAnswer)
            {
                _scrollStep = 0;
            }

            _generation = generation;
            var sinceRender = _timeProvider.GetElapsedTime(_renderedAt);
            if (rateOnly && sinceRender < RefreshInterval)
            {
                if (!_refreshPending && !_disposed && !_failed)
                {
                    _refreshPending = true;
                    _timer.Change(RefreshInterval - sinceRender, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            Render();
        }
    }

    /// <summary>Blanks the display and stops.</summary>
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
            if (!_failed)
            {
                try
                {
                    _lcd.TurnOff();
                }
                catch (GpioException ex)
                {
                    _fault = $"{_options.Description} stopped working: {ex.Message}";
                }
            }
        }

        ReportFault();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_refreshPending)
            {
                Render();
            }
            else if (!_disposed && _fault is null)
            {
                var length = LcdScreenText.ScrollLength(_generation.LastAnswer, _options.Columns);
                _scrollStep = length == 0 ? 0 : (_scrollStep + 1) % length;
                Render();
            }
        }

        ReportFault();
    }

    private void ReportFault()
    {
        string? fault;
        lock (_gate)
        {
            fault = _fault;
            _fault = null;
        }

        if (fault is not null)
        {
            _reportFault(fault);
        }
    }

    private void Render()
    {
        if (_disposed || _failed)
        {
            return;
        }

        try
        {
            _lcd.Show(LcdScreenText.Compose(_status, _generation, _options.Columns, _options.Rows, _scrollStep));
        }
        catch (GpioException ex)
        {
            _failed = true;
            _fault = $"{_options.Description} stopped working: {ex.Message}";
            _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return;
        }

        _renderedAt = _timeProvider.GetTimestamp();
        _refreshPending = false;
        var scrolling = !_generation.Generating && LcdScreenText.ScrollLength(_generation.LastAnswer, _options.Columns) > 0;
        _timer.Change(scrolling ? ScrollInterval : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
