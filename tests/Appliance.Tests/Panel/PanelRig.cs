using Appliance.Panel;
using Appliance.State;
using Appliance.TestSupport;
using Appliance.Tests.Gpio;
using Appliance.Tests.State;

namespace Appliance.Tests.Panel;

/// <summary>
/// A <see cref="PanelService"/> on a fake Raspberry Pi 5 header chip ("pinctrl-rp1", a <see cref="FakeGpioDriver"/> behind
/// System.Device.Gpio's controller) and a virtual clock, with the service's control and messenger faked. Default wiring:
/// LEDs ready 17, busy 27, error 22; buttons ask 5, cancel 6 (active low, as wired to GND).
/// </summary>
internal sealed class PanelRig : IAsyncDisposable
{
    public const int Ready = 17;
    public const int Busy = 27;
    public const int Error = 22;
    public const int Ask = 5;
    public const int Cancel = 6;
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private PanelService? _service;
    private GenerationBoard? _generation;

    public PanelRig(PanelOptions? options = null)
    {
        Options = options ?? DefaultOptions();
        Chips = new FakeGpioChips(Clock);
        Chip = Chips.AddChip("gpiochip0", "pinctrl-rp1", 54);
    }

    public ManualTimeProvider Clock { get; } = new();

    public PanelOptions Options { get; }

    public FakeGpioChips Chips { get; }

    public FakeGpioDriver Chip { get; }

    public ServiceStatusBoard Board { get; } = new();

    public GenerationBoard Generation => _generation ??= new GenerationBoard(Clock);

    /// <summary>The LCD backpack the panel finds on I2C, once it has opened it (null: none answered).</summary>
    public FakeLcdBackpack? Lcd { get; private set; }

    /// <summary>What opening I2C throws instead of finding the backpack (null: the backpack is there).</summary>
    public Exception? I2cFailure { get; set; }

    public FakeApplianceControl Control { get; } = new();

    public FakeApplianceMessenger Messenger { get; } = new();

    public ListLogger<PanelService> Logger { get; } = new();

    public PanelService Service => _service ?? throw new InvalidOperationException("Start the rig first.");

    public TimeSpan Debounce => Options.Debounce;

    public static PanelLineOptions Line(string line, string chip = "pinctrl-rp1") => new() { Chip = chip, Line = line };

    public static PanelOptions DefaultOptions() => new()
    {
        Leds = new PanelLedOptions { Ready = Line("17"), Busy = Line("27"), Error = Line("22") },
        Buttons = new PanelButtonOptions { Ask = Line("5"), Cancel = Line("6") },
        AskPrompt = "What can you do?",
    };

    public async Task StartAsync()
    {
        _service = new PanelService(Options, Chips.Factory, OpenI2c, Board, Generation, Control, Messenger, Logger, Clock);
        await _service.StartAsync(CancellationToken.None);
        await _service.WhenStarted.WaitAsync(Patience);
    }

    /// <summary>Scripts a logical edge now (rising = pressed); the panel has taken it in when this returns.</summary>
    public Task EdgeAsync(int offset, GpioEdgeKind kind)
    {
        // Buttons are active low here: pressing pulls the line low.
        Chip.InjectEdge(offset, kind == GpioEdgeKind.Falling);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Scripts edges at the given milliseconds from now (bounces). Edges are timed on arrival (the library reports no
    /// kernel timestamp), so the clock moves to each edge's time before it arrives.
    /// </summary>
    public async Task EdgesAsync(int offset, params (double Milliseconds, GpioEdgeKind Kind)[] edges)
    {
        var start = Chip.Now;
        foreach (var (milliseconds, kind) in edges)
        {
            var due = start + TimeSpan.FromMilliseconds(milliseconds) - Chip.Now;
            if (due > TimeSpan.Zero)
            {
                Clock.Advance(due);
            }

            await EdgeAsync(offset, kind);
        }
    }

    /// <summary>A clean press held for <paramref name="hold"/>, then the release's debounce period.</summary>
    public async Task PressAsync(int offset, TimeSpan hold)
    {
        await EdgeAsync(offset, GpioEdgeKind.Rising);
        Clock.Advance(hold);
        await EdgeAsync(offset, GpioEdgeKind.Falling);
        Clock.Advance(Debounce);
    }

    /// <summary>The writes to <paramref name="offset"/> from <paramref name="since"/> on, as (milliseconds since then, value).</summary>
    public IReadOnlyList<(double Ms, bool On)> WritesTo(int offset, TimeSpan since) =>
        [.. Chip.Writes.Where(write => write.Pin == offset && write.At >= since).Select(write => ((write.At - since).TotalMilliseconds, write.High))];

    /// <summary>Whether an (active-high) LED is lit.</summary>
    public bool LedOn(int offset) => Chip.IsHigh(offset);

    public async Task StopAsync() => await Service.StopAsync(CancellationToken.None).WaitAsync(Patience);

    private FakeLcdBackpack OpenI2c(System.Device.I2c.I2cConnectionSettings settings)
    {
        if (I2cFailure is not null)
        {
            throw I2cFailure;
        }

        Lcd = new FakeLcdBackpack(settings, Options.Lcd!.Columns, Options.Lcd.Rows);
        return Lcd;
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None).WaitAsync(Patience);
            _service.Dispose();
        }
    }
}
