using Appliance.Gpio;
using Appliance.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Device.I2c;
using System.Threading.Channels;

namespace Appliance.Panel;

/// <summary>
/// The front panel: LEDs and the optional LCD follow the <see cref="ServiceStatusBoard"/> (the LCD also the
/// <see cref="GenerationBoard"/>), buttons act through <see cref="IApplianceControl"/>
/// and every press is published through <see cref="IApplianceMessenger"/> on &lt;base&gt;/button.
/// With no panel configured it does nothing (headless). A panel problem — invalid options, a line that cannot be opened,
/// a line that fails later — never stops the service: it is logged as an error and recorded as the panel's problem in
/// the status (<see cref="ServiceStatus.Problems"/>; the service's state is left as it is), and whatever still works
/// keeps working.
/// </summary>
public sealed partial class PanelService(
    PanelOptions options,
    IGpioControllerFactory chips,
    Func<I2cConnectionSettings, I2cDevice> openI2c,
    ServiceStatusBoard board,
    GenerationBoard generation,
    IApplianceControl control,
    IApplianceMessenger messenger,
    ILogger<PanelService> logger,
    TimeProvider timeProvider) : BackgroundService
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _problemsGate = new();
    private readonly List<string> _problems = [];

    /// <summary>Every panel problem reported so far, in order.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problemsGate)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Completes once the panel drives its lines and listens to its buttons, or has settled on not running.</summary>
    public Task WhenStarted => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The panel is an observer: whatever breaks it must not stop the host; it is reported instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportProblem($"the panel stopped: {ex.Message}");
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!options.IsConfigured)
        {
            LogHeadless(PanelOptions.SectionName);
            return;
        }

        var invalid = options.Validate().ToList();
        if (invalid.Count > 0)
        {
            ReportProblem($"configuration invalid, panel disabled: {string.Join("; ", invalid)}");
            return;
        }

        // Device I/O happens off the host's start-up path.
        await Task.Yield();
        using var lines = PanelLines.Open(options, chips);
        foreach (var problem in lines.Problems)
        {
            ReportProblem(problem);
        }

        using var lcd = OpenLcd();
        using var display = lcd is null ? null : new LcdAnimator(lcd, options.Lcd!, board.Current, generation.Current, timeProvider, ReportProblem);
        if (lines.IsEmpty && display is null)
        {
            return;
        }

        LogRunning(lines.Leds.Count, lines.Buttons.Count, display is null ? "no" : options.Lcd!.Size);
        var presses = Channel.CreateUnbounded<ButtonPress>(new UnboundedChannelOptions { SingleReader = true });
        using var animator = new LedAnimator(lines.Leds, timeProvider, ReportProblem);
        void OnStatusChanged(object? sender, ServiceStatus status)
        {
            animator.Show(PanelIndication.For(status));
            display?.Show(status);
        }

        void OnGenerationChanged(object? sender, GenerationProgress progress) => display?.Show(progress);
        board.Changed += OnStatusChanged;
        generation.Changed += OnGenerationChanged;

        // Read after subscribing: a change in between is shown by its event, and the board's lock orders the two.
        display?.Show(board.Current);
        display?.Show(generation.Current);
        var monitors = new List<ButtonMonitor>();
        foreach (var button in lines.Buttons)
        {
            var monitor = new ButtonMonitor(button, options.Debounce, options.LongPress, timeProvider, press => presses.Writer.TryWrite(press));
            monitors.Add(monitor);
            try
            {
                monitor.Start();
            }
            catch (GpioException ex)
            {
                ReportProblem($"{button.Assignment.Description} unavailable: {ex.Message}");
            }
        }

        var actions = new PanelActions(options, control, messenger, logger);
        try
        {
            animator.ShowInitial(PanelIndication.For(board.Current));
            _started.TrySetResult();
            await foreach (var press in presses.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await actions.HandleAsync(press, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            board.Changed -= OnStatusChanged;
            generation.Changed -= OnGenerationChanged;
            foreach (var monitor in monitors)
            {
                monitor.Dispose();
            }
        }
    }

    private PanelLcd? OpenLcd()
    {
        if (options.Lcd is not { } lcd)
        {
            return null;
        }

        try
        {
            return PanelLcd.Open(lcd, openI2c);
        }
        catch (GpioException ex)
        {
            ReportProblem($"{lcd.Description} unavailable: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Logs <paramref name="problem"/> and records all the panel's problems so far as its part of the status, keeping the
    /// state: a panel fault is not a service fault, and other status changes leave the record in place. Never called
    /// from within the board's change event (see <see cref="LedAnimator"/>).
    /// </summary>
    private void ReportProblem(string problem)
    {
        LogProblem(problem);
        string all;
        lock (_problemsGate)
        {
            _problems.Add(problem);
            all = string.Join("; ", _problems);
        }

        board.SetProblem("panel", all);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No front panel configured (section {Section}): running headless")]
    private partial void LogHeadless(string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "Front panel running: {Leds} LED line(s), {Buttons} button(s), {Lcd} LCD")]
    private partial void LogRunning(int leds, int buttons, string lcd);

    [LoggerMessage(Level = LogLevel.Error, Message = "Panel: {Problem}")]
    private partial void LogProblem(string problem);
}
