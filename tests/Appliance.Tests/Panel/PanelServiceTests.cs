using Appliance.Panel;
using Appliance.State;
using Appliance.Tests.Gpio;
using Appliance.Tests.State;
using Microsoft.Extensions.Logging;
using System.Device.Gpio;

namespace Appliance.Tests.Panel;

/// <summary>
/// The panel end to end on a fake chip and a virtual clock: edges are scripted, the clock only moves when a test moves
/// it, and every wait is for an event (an edge taken in, a publication), never for time to pass.
/// </summary>
public sealed class PanelServiceTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task With_no_panel_configured_nothing_is_opened_and_the_service_runs_headless()
    {
        await using var rig = new PanelRig(new PanelOptions());

        await rig.StartAsync();

        Assert.Equal(0, rig.Chips.OpenCount);
        Assert.Equal(new ServiceStatus(ServiceState.Starting, null, null), rig.Board.Current);
        Assert.Contains(rig.Logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("running headless", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lines_are_requested_as_the_roles_need()
    {
        await using var rig = new PanelRig();

        await rig.StartAsync();

        // Buttons: inputs with the pull-up they are wired for, watched on both edges; LEDs: outputs, driven off.
        Assert.Equal(PinMode.InputPullUp, rig.Chip.OpenPins[PanelRig.Ask]);
        Assert.True(rig.Chip.HasCallback(PanelRig.Ask));
        Assert.Equal(PinMode.Output, rig.Chip.OpenPins[PanelRig.Ready]);
        Assert.Contains(new FakePinWrite(rig.Chip.Now, PanelRig.Ready, false), rig.Chip.Writes);
        Assert.Equal(5, rig.Chip.OpenPins.Count);
    }

    [Fact]
    public async Task The_leds_follow_the_status_board_pattern_by_pattern_on_the_virtual_clock()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();
        var t0 = rig.Chip.Now;

        // Starting: busy blinks at 4 Hz.
        rig.Clock.Advance(250 * Ms);
        // Loading (at 250 ms): busy blinks at 1 Hz from here.
        rig.Board.Set(ServiceState.Loading, "tiny");
        rig.Clock.Advance(1000 * Ms);
        // Ready (at 1250 ms): ready solid, nothing more for as long as it lasts.
        rig.Board.SetModel("tiny", ServiceState.Ready);
        rig.Clock.Advance(10_000 * Ms);
        // Busy (11250), then ready again (11500).
        rig.Board.Set(ServiceState.Busy);
        rig.Clock.Advance(250 * Ms);
        rig.Board.Set(ServiceState.Ready);

        Assert.Equal([(0, false), (0, true), (125, false), (250, true), (750, false), (1250, true), (1250, false), (11250, true), (11500, false)], rig.WritesTo(PanelRig.Busy, t0));
        Assert.Equal([(0, false), (1250, true)], rig.WritesTo(PanelRig.Ready, t0));
        Assert.Equal([(0, false)], rig.WritesTo(PanelRig.Error, t0));
    }

    [Fact]
    public async Task An_error_without_a_model_blinks_code_2_and_offline_beats_the_ready_led()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();
        rig.Clock.Advance(100 * Ms);
        var t = rig.Chip.Now;

        rig.Board.Set(ServiceState.Error, "model.onnx missing");
        rig.Clock.Advance(2250 * Ms);
        rig.Board.Set(ServiceState.Offline);
        rig.Clock.Advance(2100 * Ms);

        Assert.Equal([(0, true), (250, false), (500, true), (750, false), (2250, true), (2250, false)], rig.WritesTo(PanelRig.Error, t));
        Assert.Equal([(2250, true), (2350, false), (2500, true), (2600, false), (4250, true), (4350, false)], rig.WritesTo(PanelRig.Ready, t));
    }

    [Fact]
    public async Task A_short_press_of_ask_queues_the_preset_prompt_and_is_published()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.PressAsync(PanelRig.Ask, 100 * Ms);
        var published = await rig.Messenger.NextAsync();

        Assert.Equal(new Publication("appliance/test/button", """{"button":"ask","press":"short","ts":"2026-01-01T00:00:00.130Z"}""", false), published);
        Assert.Equal([("What can you do?", "panel")], rig.Control.Prompts);
    }

    [Fact]
    public async Task A_short_press_of_cancel_cancels_the_running_request()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.PressAsync(PanelRig.Cancel, 80 * Ms);
        var published = await rig.Messenger.NextAsync();

        Assert.Contains("\"button\":\"cancel\",\"press\":\"short\"", published.Payload, StringComparison.Ordinal);
        Assert.Equal(["cancel button on the panel"], rig.Control.CancelReasons);
        Assert.Equal(0, rig.Control.Reloads);
    }

    [Fact]
    public async Task Holding_cancel_reloads_the_model_the_moment_the_long_press_time_is_reached()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.EdgeAsync(PanelRig.Cancel, GpioEdgeKind.Rising);
        rig.Clock.Advance(2000 * Ms);
        var published = await rig.Messenger.NextAsync();
        await rig.EdgeAsync(PanelRig.Cancel, GpioEdgeKind.Falling);
        rig.Clock.Advance(1000 * Ms);
        await rig.PressAsync(PanelRig.Ask, 50 * Ms);
        var next = await rig.Messenger.NextAsync();

        Assert.Equal("""{"button":"cancel","press":"long","ts":"2026-01-01T00:00:02.000Z"}""", published.Payload);
        Assert.Equal(1, rig.Control.Reloads);
        Assert.Empty(rig.Control.CancelReasons);
        // The release after a long press adds nothing: the next publication is the ask press.
        Assert.Contains("\"button\":\"ask\"", next.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_long_press_holds_its_time_when_bouncing_edges_are_timed_on_arrival()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        // No kernel timestamps or debounce any more: a bouncing press is timed from the first edge's arrival.
        await rig.EdgesAsync(PanelRig.Cancel, (0, GpioEdgeKind.Rising), (0.5, GpioEdgeKind.Falling), (1, GpioEdgeKind.Rising));
        rig.Clock.Advance(1998 * Ms);
        Assert.False(rig.Messenger.TryTake(out _));
        rig.Clock.Advance(1 * Ms);
        var published = await rig.Messenger.NextAsync();

        Assert.Equal("""{"button":"cancel","press":"long","ts":"2026-01-01T00:00:02.000Z"}""", published.Payload);
        Assert.Equal(1, rig.Control.Reloads);
    }

    [Fact]
    public async Task A_bouncing_release_just_before_the_long_press_time_is_a_short_press()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.EdgeAsync(PanelRig.Ask, GpioEdgeKind.Rising);
        rig.Clock.Advance(1990 * Ms);
        await rig.EdgesAsync(PanelRig.Ask, (0, GpioEdgeKind.Falling), (4, GpioEdgeKind.Rising), (8, GpioEdgeKind.Falling));
        rig.Clock.Advance(rig.Debounce);
        var published = await rig.Messenger.NextAsync();

        Assert.Contains("\"button\":\"ask\",\"press\":\"short\"", published.Payload, StringComparison.Ordinal);
        Assert.Single(rig.Control.Prompts);
    }

    [Fact]
    public async Task A_reload_in_progress_is_not_started_again()
    {
        await using var rig = new PanelRig();
        var reload = new TaskCompletionSource();
        rig.Control.ReloadTask = reload.Task;
        await rig.StartAsync();

        await rig.PressAsync(PanelRig.Cancel, 2500 * Ms);
        await rig.Messenger.NextAsync();
        await rig.PressAsync(PanelRig.Cancel, 2500 * Ms);
        await rig.Messenger.NextAsync();

        Assert.Equal(1, rig.Control.Reloads);
        Assert.Contains(rig.Logger.Entries, e => e.Message.Contains("reload is already running", StringComparison.Ordinal));
        reload.SetResult();
    }

    [Fact]
    public async Task A_long_press_of_ask_is_published_and_does_nothing_else()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.PressAsync(PanelRig.Ask, 2100 * Ms);
        var published = await rig.Messenger.NextAsync();

        Assert.Contains("\"button\":\"ask\",\"press\":\"long\"", published.Payload, StringComparison.Ordinal);
        Assert.Empty(rig.Control.Prompts);
        Assert.Equal(0, rig.Control.Reloads);
    }

    [Fact]
    public async Task Bouncing_contacts_make_one_press()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.EdgesAsync(PanelRig.Ask, (0, GpioEdgeKind.Rising), (0.4, GpioEdgeKind.Falling), (1.1, GpioEdgeKind.Rising), (2.5, GpioEdgeKind.Falling), (3, GpioEdgeKind.Rising));
        rig.Clock.Advance(150 * Ms);
        await rig.EdgesAsync(PanelRig.Ask, (0, GpioEdgeKind.Falling), (0.7, GpioEdgeKind.Rising), (1.5, GpioEdgeKind.Falling));
        rig.Clock.Advance(100 * Ms);
        await rig.PressAsync(PanelRig.Cancel, 60 * Ms);

        Assert.Contains("\"button\":\"ask\",\"press\":\"short\"", (await rig.Messenger.NextAsync()).Payload, StringComparison.Ordinal);
        Assert.Contains("\"button\":\"cancel\"", (await rig.Messenger.NextAsync()).Payload, StringComparison.Ordinal);
        Assert.Single(rig.Control.Prompts);
    }

    [Fact]
    public async Task A_glitch_shorter_than_the_debounce_period_is_ignored()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();

        await rig.EdgesAsync(PanelRig.Ask, (0, GpioEdgeKind.Rising), (10, GpioEdgeKind.Falling));
        rig.Clock.Advance(500 * Ms);
        await rig.PressAsync(PanelRig.Cancel, 60 * Ms);

        Assert.Contains("\"button\":\"cancel\"", (await rig.Messenger.NextAsync()).Payload, StringComparison.Ordinal);
        Assert.Empty(rig.Control.Prompts);
    }

    [Fact]
    public async Task A_button_held_while_the_panel_starts_counts_only_from_its_next_press()
    {
        await using var rig = new PanelRig();
        rig.Chip.SetHigh(PanelRig.Ask, false);
        await rig.StartAsync();

        rig.Clock.Advance(3000 * Ms);
        await rig.EdgeAsync(PanelRig.Ask, GpioEdgeKind.Falling);
        rig.Clock.Advance(100 * Ms);
        await rig.PressAsync(PanelRig.Cancel, 60 * Ms);

        Assert.Contains("\"button\":\"cancel\"", (await rig.Messenger.NextAsync()).Payload, StringComparison.Ordinal);
        Assert.Empty(rig.Control.Prompts);
    }

    [Fact]
    public async Task A_line_held_by_another_consumer_is_logged_and_put_in_the_status_detail_and_the_rest_of_the_panel_works()
    {
        await using var rig = new PanelRig();
        rig.Chip.HoldElsewhere(PanelRig.Error);
        rig.Board.Set(ServiceState.Loading, "loading tiny");
        await rig.StartAsync();

        const string Problem = "Panel:Leds:Error (pinctrl-rp1 line 22) unavailable: Pin 22 is already in use: Device or resource busy";
        Assert.Equal((ServiceState.Loading, (string?)null, "loading tiny"), (rig.Board.Current.State, rig.Board.Current.Model, rig.Board.Current.Detail));
        Assert.Equal(Problem, rig.Board.Current.Problems["panel"]);
        Assert.Contains((LogLevel.Error, $"Panel: {Problem}"), rig.Logger.Entries);
        Assert.Equal([Problem], rig.Service.Problems);

        rig.Board.SetModel("tiny", ServiceState.Ready);
        await rig.PressAsync(PanelRig.Ask, 100 * Ms);
        await rig.Messenger.NextAsync();
        Assert.True(rig.LedOn(PanelRig.Ready));
        Assert.Single(rig.Control.Prompts);
    }

    [Fact]
    public async Task Roles_on_a_missing_chip_or_line_are_reported_and_the_others_still_run()
    {
        var options = PanelRig.DefaultOptions();
        options.Buttons!.Cancel = PanelRig.Line("6", chip: "gpiochip9");
        options.Leds!.Busy = PanelRig.Line("99");
        await using var rig = new PanelRig(options);
        await rig.StartAsync();

        Assert.Equal(
            [
                "Panel:Leds:Busy (pinctrl-rp1 line 99) unavailable: gpiochip0 has 54 lines; there is no line 99 (Parameter 'pinNumber')",
                "Panel:Buttons:Cancel (gpiochip9 line 6) unavailable: No GPIO chip labelled or named 'gpiochip9': the fake driver sees GPIO chip gpiochip0 (pinctrl-rp1)",
            ],
            rig.Service.Problems);
        Assert.Equal(ServiceState.Starting, rig.Board.Current.State);
        await rig.PressAsync(PanelRig.Ask, 100 * Ms);
        Assert.Contains("\"button\":\"ask\"", (await rig.Messenger.NextAsync()).Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_disable_the_panel_and_say_why_without_touching_the_state()
    {
        var options = PanelRig.DefaultOptions();
        options.LongPressMilliseconds = 50;
        await using var rig = new PanelRig(options);
        rig.Board.SetModel("tiny", ServiceState.Ready);

        await rig.StartAsync();

        Assert.Equal(0, rig.Chips.OpenCount);
        Assert.Equal((ServiceState.Ready, "tiny", (string?)null), (rig.Board.Current.State, rig.Board.Current.Model, rig.Board.Current.Detail));
        Assert.Equal(
            "configuration invalid, panel disabled: Panel:LongPressMilliseconds must be between 100 and 60000, got 50",
            rig.Board.Current.Problems["panel"]);
    }

    [Fact]
    public async Task A_button_line_the_driver_cannot_watch_is_reported_and_the_leds_keep_following_the_board()
    {
        await using var rig = new PanelRig();
        rig.Chip.FailWatching(PanelRig.Ask, new IOException("Error while waiting for events: No such device"));
        var reported = new TaskCompletionSource<ServiceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Board.Changed += (_, status) =>
        {
            if (status.Problems.ContainsKey("panel"))
            {
                reported.TrySetResult(status);
            }
        };
        await rig.StartAsync();

        var status = await reported.Task.WaitAsync(PanelRig.Patience);
        rig.Board.SetModel("tiny", ServiceState.Ready);

        Assert.Equal(
            "Panel:Buttons:Ask (pinctrl-rp1 line 5) unavailable: Error while waiting for events: No such device",
            status.Problems["panel"]);
        Assert.Equal(status.Problems, rig.Board.Current.Problems);
        Assert.Equal(ServiceState.Starting, status.State);
        Assert.True(rig.LedOn(PanelRig.Ready));
    }

    [Fact]
    public async Task An_led_line_that_fails_is_reported_once_and_the_other_leds_keep_going()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();
        rig.Chip.FailWrites(PanelRig.Ready, new IOException("line 17 gone"));

        rig.Board.SetModel("tiny", ServiceState.Ready);
        // The failure is reported from the animator's timer, never from inside the board's change event.
        Assert.Empty(rig.Service.Problems);
        rig.Clock.Advance(TimeSpan.Zero);
        var afterReport = rig.Board.Current;
        rig.Board.Set(ServiceState.Busy);
        rig.Board.Set(ServiceState.Ready);
        rig.Board.Set(ServiceState.Busy);
        rig.Clock.Advance(TimeSpan.FromSeconds(1));

        const string Problem = "Panel:Leds:Ready (pinctrl-rp1 line 17) stopped working: line 17 gone";
        Assert.Equal((ServiceState.Ready, "tiny"), (afterReport.State, afterReport.Model));
        Assert.Equal(Problem, afterReport.Problems["panel"]);
        Assert.Equal(Problem, rig.Board.Current.Problems["panel"]);
        Assert.Equal([Problem], rig.Service.Problems);
        Assert.Equal(ServiceState.Busy, rig.Board.Current.State);
        Assert.True(rig.LedOn(PanelRig.Busy));
    }

    [Fact]
    public async Task Presses_are_still_acted_on_while_the_broker_is_down()
    {
        await using var rig = new PanelRig();
        rig.Messenger.Connected = false;
        await rig.StartAsync();

        await rig.PressAsync(PanelRig.Ask, 100 * Ms);
        await rig.Messenger.NextAsync();
        await rig.PressAsync(PanelRig.Ask, 100 * Ms);
        await rig.Messenger.NextAsync();

        Assert.Equal(2, rig.Control.Prompts.Count);
    }

    [Fact]
    public async Task A_refused_prompt_is_logged()
    {
        await using var rig = new PanelRig();
        rig.Control.SubmitResult = false;
        await rig.StartAsync();

        await rig.PressAsync(PanelRig.Ask, 100 * Ms);
        await rig.Messenger.NextAsync();

        Assert.Contains(rig.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("prompt was not queued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_turns_every_led_off_and_releases_every_line()
    {
        await using var rig = new PanelRig();
        await rig.StartAsync();
        rig.Board.SetModel("tiny", ServiceState.Busy);
        Assert.True(rig.LedOn(PanelRig.Ready) && rig.LedOn(PanelRig.Busy));

        await rig.StopAsync();

        Assert.False(rig.LedOn(PanelRig.Ready));
        Assert.False(rig.LedOn(PanelRig.Busy));
        Assert.Empty(rig.Chip.OpenPins);
        Assert.True(rig.Chip.IsDisposed);
        rig.Board.Set(ServiceState.Ready);
        Assert.False(rig.LedOn(PanelRig.Ready));
    }

    [Fact]
    public async Task An_rgb_led_shows_ready_green_busy_blue_and_errors_red()
    {
        var options = new PanelOptions
        {
            RgbLed = new PanelRgbLedOptions { Red = PanelRig.Line("22"), Green = PanelRig.Line("17"), Blue = PanelRig.Line("27") },
        };
        await using var rig = new PanelRig(options);
        await rig.StartAsync();

        rig.Board.SetModel("tiny", ServiceState.Busy);
        var busy = (rig.LedOn(22), rig.LedOn(17), rig.LedOn(27));
        rig.Board.Set(ServiceState.Error, "decode failed");
        var error = (rig.LedOn(22), rig.LedOn(17), rig.LedOn(27));

        Assert.Equal((false, true, true), busy);
        Assert.Equal((true, false, false), error);
    }
}
