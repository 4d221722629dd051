using Appliance.Gpio;
using Appliance.Panel;
using Appliance.Service;
using Appliance.Tests.Gpio;
using Appliance.TestSupport;

namespace Appliance.Tests.Panel;

/// <summary>
/// A <see cref="PanelService"/> on a fake Raspberry Pi 5 header chip ("pinctrl-rp1", lines named GPIOn) and a virtual
/// clock, with the service's control and messenger faked. Default wiring: LEDs ready 17, busy 27, error 22; buttons
/// ask GPIO5 (by name), cancel 6.
/// </summary>
internal sealed class PanelRig : IAsyncDisposable
{
    public const uint Ready = 17;
    public const uint Busy = 27;
    public const uint Error = 22;
    public const uint Ask = 5;
    public const uint Cancel = 6;
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private PanelService? _service;

    public PanelRig(PanelOptions? options = null)
    {
        Options = options ?? DefaultOptions();
        Chips = new FakeGpioChipProvider(Clock);
        Chip = Chips.AddChip("gpiochip0", "pinctrl-rp1", 54, offset => $"GPIO{offset}");
    }

    public ManualTimeProvider Clock { get; } = new();

    public PanelOptions Options { get; }

    public FakeGpioChipProvider Chips { get; }

    public FakeGpioChip Chip { get; }

    public ServiceStatusBoard Board { get; } = new();

    public FakeApplianceControl Control { get; } = new();

    public FakeApplianceMessenger Messenger { get; } = new();

    public ListLogger<PanelService> Logger { get; } = new();

    public PanelService Service => _service ?? throw new InvalidOperationException("Start the rig first.");

    public TimeSpan Debounce => Options.Debounce;

    public static PanelLineOptions Line(string line, string chip = "pinctrl-rp1") => new() { Chip = chip, Line = line };

    public static PanelOptions DefaultOptions() => new()
    {
        Leds = new PanelLedOptions { Ready = Line("17"), Busy = Line("27"), Error = Line("22") },
        Buttons = new PanelButtonOptions { Ask = Line("GPIO5"), Cancel = Line("6") },
        AskPrompt = "What can you do?",
    };

    public async Task StartAsync()
    {
        _service = new PanelService(Options, Chips, Board, Control, Messenger, Logger, Clock);
        await _service.StartAsync(CancellationToken.None);
        await _service.WhenStarted.WaitAsync(Patience);
    }

    /// <summary>Scripts an edge now and waits until the panel has taken it in.</summary>
    public async Task EdgeAsync(uint offset, GpioEdgeKind kind)
    {
        var request = Chip.RequestFor(offset);
        request.InjectEdge(offset, kind);
        await request.WaitUntilDrainedAsync().WaitAsync(Patience);
    }

    /// <summary>Scripts edges at the given milliseconds from now (bounces), and waits until the panel has taken them in.</summary>
    public async Task EdgesAsync(uint offset, params (double Milliseconds, GpioEdgeKind Kind)[] edges)
    {
        var request = Chip.RequestFor(offset);
        var start = Chip.Now;
        foreach (var (milliseconds, kind) in edges)
        {
            request.InjectEdge(offset, kind, start + TimeSpan.FromMilliseconds(milliseconds));
        }

        await request.WaitUntilDrainedAsync().WaitAsync(Patience);
    }

    /// <summary>A clean press held for <paramref name="hold"/>, then the release's debounce period.</summary>
    public async Task PressAsync(uint offset, TimeSpan hold)
    {
        await EdgeAsync(offset, GpioEdgeKind.Rising);
        Clock.Advance(hold);
        await EdgeAsync(offset, GpioEdgeKind.Falling);
        Clock.Advance(Debounce);
    }

    /// <summary>The writes to <paramref name="offset"/> from <paramref name="since"/> on, as (milliseconds since then, value).</summary>
    public IReadOnlyList<(double Ms, bool On)> WritesTo(uint offset, TimeSpan since) =>
        [.. Chip.Writes.Where(write => write.Offset == offset && write.At >= since).Select(write => ((write.At - since).TotalMilliseconds, write.Value))];

    public bool LedOn(uint offset) => Chip.Level(offset);

    public async Task StopAsync() => await Service.StopAsync(CancellationToken.None).WaitAsync(Patience);

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None).WaitAsync(Patience);
            _service.Dispose();
        }
    }
}
