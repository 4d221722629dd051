using Appliance.Gpio;
using Appliance.Panel;
using Appliance.State;
using Appliance.Tests.Gpio;
using Appliance.Tests.State;
using Xunit.Abstractions;

namespace Appliance.Tests.Panel;

/// <summary>
/// The whole panel on a real kernel GPIO chip (gpio-sim, made through configfs) through System.Device.Gpio's libgpiod
/// driver: LEDs read back through sysfs, buttons pressed by flipping the simulated pull resistor, presses timed on
/// arrival on the system clock. Where gpio-sim is unavailable the test says so in its output and checks that the
/// libgpiod driver reports the missing chip (or the missing libgpiod) as the panel's problem.
/// </summary>
public sealed class PanelOnSimulatedChipTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_panel_drives_leds_and_reads_buttons_on_a_simulated_chip()
    {
        using var simulator = GpioSimulator.TryCreate(out var whyNot);
        if (simulator is null)
        {
            output.WriteLine($"No gpio-sim chip on this machine: {whyNot}. Skipped the panel-on-a-real-chip test; checked that the panel reports the missing chip instead.");
            await ReportsMissingChipAsync();
            return;
        }

        output.WriteLine($"Running the panel on gpio-sim chip {simulator.ChipPath} ({simulator.Label})");
        PanelLineOptions Line(string name) => new() { Chip = simulator.Label, Line = Array.IndexOf(GpioSimulator.LineNames, name).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var options = new PanelOptions
        {
            Leds = new PanelLedOptions { Ready = Line("led-ready"), Busy = Line("led-busy"), Error = Line("led-error") },
            Buttons = new PanelButtonOptions { Ask = Line("btn-ask"), Cancel = Line("btn-cancel") },
            AskPrompt = "hello",
            // No debouncing and a short long press: presses complete on edges alone, without waiting on the clock.
            DebounceMilliseconds = 0,
            LongPressMilliseconds = 100,
        };
        var board = new ServiceStatusBoard();
        var control = new FakeApplianceControl();
        var messenger = new FakeApplianceMessenger();
        using var service = new PanelService(options, GpioControllerFactory.For(GpioDriverKind.Libgpiod), System.Device.I2c.I2cDevice.Create, board, new GenerationBoard(TimeProvider.System), control, messenger, new ListLogger<PanelService>(), TimeProvider.System);
        await service.StartAsync(CancellationToken.None);
        await service.WhenStarted.WaitAsync(PanelRig.Patience);
        Assert.Empty(service.Problems);

        board.SetModel("tiny", ServiceState.Ready);
        Assert.True(simulator.ReadValue(0));
        Assert.False(simulator.ReadValue(2));

        // Buttons are active low with the pull-up the panel asked for: pulling down presses, pulling up releases.
        simulator.SetPull(4, up: false);
        simulator.SetPull(4, up: true);
        var ask = await messenger.NextAsync();
        simulator.SetPull(5, up: false);
        var cancel = await messenger.NextAsync();
        simulator.SetPull(5, up: true);

        Assert.Contains("\"button\":\"ask\",\"press\":\"short\"", ask.Payload, StringComparison.Ordinal);
        Assert.Contains("\"button\":\"cancel\",\"press\":\"long\"", cancel.Payload, StringComparison.Ordinal);
        Assert.Equal([("hello", "panel")], control.Prompts);
        Assert.Equal(1, control.Reloads);

        await service.StopAsync(CancellationToken.None);
        Assert.False(simulator.ReadValue(0));
    }

    private static async Task ReportsMissingChipAsync()
    {
        var options = new PanelOptions { Leds = new PanelLedOptions { Ready = new PanelLineOptions { Chip = "appliance-sim-missing", Line = "0" } } };
        var board = new ServiceStatusBoard();
        using var service = new PanelService(
            options, GpioControllerFactory.For(GpioDriverKind.Libgpiod), System.Device.I2c.I2cDevice.Create, board, new GenerationBoard(TimeProvider.System), new FakeApplianceControl(), new FakeApplianceMessenger(), new ListLogger<PanelService>(), TimeProvider.System);
        await service.StartAsync(CancellationToken.None);
        await service.WhenStarted.WaitAsync(PanelRig.Patience);

        var problem = Assert.Single(service.Problems);
        Assert.StartsWith(
            LibgpiodOnThisMachineTests.LibgpiodInstalled
                ? "Panel:Leds:Ready (appliance-sim-missing line 0) unavailable: No GPIO chip labelled or named 'appliance-sim-missing'"
                : "Panel:Leds:Ready (appliance-sim-missing line 0) unavailable: GPIO chip appliance-sim-missing: libgpiod is not installed",
            problem,
            StringComparison.Ordinal);
        Assert.Equal(ServiceState.Starting, board.Current.State);
        Assert.Equal(problem, board.Current.Problems["panel"]);
        await service.StopAsync(CancellationToken.None);
    }
}
