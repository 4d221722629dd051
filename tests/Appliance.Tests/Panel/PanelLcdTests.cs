using Appliance.Panel;
using Appliance.State;
using Appliance.Tests.Gpio;
using Appliance.Tests.State;

namespace Appliance.Tests.Panel;

/// <summary>
/// The optional LCD end to end: Iot.Device.Bindings' HD44780 driver writes to a fake PCF8574 backpack that decodes the
/// 4-bit protocol back to the characters on screen; the virtual clock drives the scrolling.
/// </summary>
public sealed class PanelLcdTests
{
    private const string Answer = "The quick brown fox jumps over the lazy dog";

    private static PanelRig RigWithLcd(string size = "16x2", bool leds = true)
    {
        var options = leds ? PanelRig.DefaultOptions() : new PanelOptions();
        options.Lcd = new PanelLcdOptions { Size = size };
        return new PanelRig(options);
    }

    [Fact]
    public async Task The_lcd_shows_the_state_and_model_and_follows_the_board_as_the_leds_do()
    {
        await using var rig = RigWithLcd();
        await rig.StartAsync();
        Assert.Equal(["starting        ", "                "], rig.Lcd!.Screen);
        Assert.True(rig.Lcd.BacklightOn && rig.Lcd.DisplayOn);

        rig.Board.SetModel("tiny", ServiceState.Ready);

        Assert.Equal(["ready tiny      ", "                "], rig.Lcd.Screen);
        Assert.True(rig.LedOn(PanelRig.Ready));
        Assert.Equal((1, 0x27), (rig.Lcd.ConnectionSettings.BusId, rig.Lcd.ConnectionSettings.DeviceAddress));
    }

    [Fact]
    public async Task While_generating_it_shows_tokens_per_second_then_the_last_answer_scrolls()
    {
        await using var rig = RigWithLcd();
        await rig.StartAsync();
        rig.Board.SetModel("tiny", ServiceState.Busy);

        // Eleven tokens, 100 ms apart: ten intervals in one second.
        rig.Generation.TokenGenerated();
        for (var token = 0; token < 10; token++)
        {
            rig.Clock.Advance(TimeSpan.FromMilliseconds(100));
            rig.Generation.TokenGenerated();
        }

        Assert.Equal(["busy tiny       ", "10.0 tok/s      "], rig.Lcd!.Screen);

        rig.Generation.Answered(Answer);
        rig.Board.SetModel("tiny", ServiceState.Ready);
        Assert.Equal("The quick brown ", rig.Lcd.Screen[1]);
        rig.Clock.Advance(LcdAnimator.ScrollInterval);
        Assert.Equal("he quick brown f", rig.Lcd.Screen[1]);
        rig.Clock.Advance(LcdAnimator.ScrollInterval * (Answer.Length - 2));
        Assert.Equal("g   The quick br", rig.Lcd.Screen[1]);
        rig.Clock.Advance(LcdAnimator.ScrollInterval * (LcdScreenText.ScrollGap + 1));
        Assert.Equal("The quick brown ", rig.Lcd.Screen[1]);
        Assert.Equal("ready tiny      ", rig.Lcd.Screen[0]);
    }

    [Fact]
    public async Task A_rate_that_changes_with_every_token_is_drawn_at_most_once_per_refresh_interval()
    {
        await using var rig = RigWithLcd();
        await rig.StartAsync();
        rig.Board.SetModel("tiny", ServiceState.Busy);
        rig.Generation.TokenGenerated();
        Assert.Equal("0.0 tok/s       ", rig.Lcd!.Screen[1]);

        // Five more tokens 10 ms apart: the rate changes each time, the display is not written again yet.
        for (var token = 0; token < 5; token++)
        {
            rig.Clock.Advance(TimeSpan.FromMilliseconds(10));
            rig.Generation.TokenGenerated();
        }

        Assert.Equal("0.0 tok/s       ", rig.Lcd.Screen[1]);

        rig.Clock.Advance(LcdAnimator.RefreshInterval - TimeSpan.FromMilliseconds(50));
        Assert.Equal("100.0 tok/s     ", rig.Lcd.Screen[1]);
    }

    [Fact]
    public async Task A_20x4_lcd_gives_state_model_rate_and_answer_a_row_each()
    {
        await using var rig = RigWithLcd("20x4", leds: false);
        await rig.StartAsync();
        rig.Board.SetModel("qwen2.5-0.5b-int4", ServiceState.Busy);
        rig.Generation.TokenGenerated();
        rig.Clock.Advance(TimeSpan.FromMilliseconds(250));
        rig.Generation.TokenGenerated();

        Assert.Equal(["busy                ", "qwen2.5-0.5b-int4   ", "4.0 tok/s           ", "                    "], rig.Lcd!.Screen);

        rig.Generation.Answered("Hello there.");
        Assert.Equal("Hello there.        ", rig.Lcd.Screen[3]);
        Assert.Equal("                    ", rig.Lcd.Screen[2]);
    }

    [Fact]
    public async Task Characters_the_lcd_cannot_show_become_question_marks()
    {
        await using var rig = RigWithLcd();
        await rig.StartAsync();

        rig.Generation.Answered("Grüße\n\t→ ok");

        Assert.Equal("Gr??e ? ok      ", rig.Lcd!.Screen[1]);
    }

    [Fact]
    public async Task Stopping_blanks_the_lcd_and_turns_its_backlight_off()
    {
        await using var rig = RigWithLcd();
        await rig.StartAsync();
        rig.Board.SetModel("tiny", ServiceState.Ready);

        await rig.StopAsync();

        Assert.Equal(["                ", "                "], rig.Lcd!.Screen);
        Assert.False(rig.Lcd.BacklightOn);
        Assert.True(rig.Lcd.IsDisposed);
        Assert.Empty(rig.Service.Problems);
    }

    [Fact]
    public async Task An_lcd_that_does_not_answer_is_reported_and_the_leds_still_follow_the_board()
    {
        await using var rig = RigWithLcd();
        rig.I2cFailure = new IOException("Error 6 performing I2C data transfer.");
        await rig.StartAsync();

        rig.Board.SetModel("tiny", ServiceState.Ready);

        Assert.Equal(["Panel:Lcd (I2C bus 1, address 0x27) unavailable: Error 6 performing I2C data transfer."], rig.Service.Problems);
        Assert.Equal(rig.Service.Problems[0], rig.Board.Current.Problems["panel"]);
        Assert.True(rig.LedOn(PanelRig.Ready));
    }

    [Fact]
    public async Task An_lcd_that_fails_later_is_reported_once_and_the_leds_keep_going()
    {
        await using var rig = RigWithLcd();
        await rig.StartAsync();
        rig.Lcd!.FailWrites(new IOException("Error 121 performing I2C data transfer."));

        rig.Board.SetModel("tiny", ServiceState.Ready);
        var written = rig.Lcd.BytesWritten;

        // The report goes out from the display's timer, never from inside the board's change event.
        rig.Clock.Advance(TimeSpan.Zero);
        rig.Board.SetModel("tiny", ServiceState.Busy);
        rig.Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["Panel:Lcd (I2C bus 1, address 0x27) stopped working: Error 121 performing I2C data transfer."], rig.Service.Problems);
        Assert.Equal(written, rig.Lcd.BytesWritten);
        Assert.True(rig.LedOn(PanelRig.Busy));
    }

    [Fact]
    public async Task Without_a_backpack_on_this_machine_the_real_i2c_path_gives_the_clear_problem()
    {
        // No /dev/i2c-250 here (nor on a board): System.Device.Gpio's own I2C device fails, and the panel says so.
        var options = new PanelOptions { Lcd = new PanelLcdOptions { Bus = 250 } };
        var board = new ServiceStatusBoard();
        using var service = new PanelService(
            options, new FakeGpioChips(TimeProvider.System).Factory, System.Device.I2c.I2cDevice.Create, board, new GenerationBoard(TimeProvider.System),
            new FakeApplianceControl(), new FakeApplianceMessenger(), new ListLogger<PanelService>(), TimeProvider.System);
        await service.StartAsync(CancellationToken.None);
        await service.WhenStarted.WaitAsync(PanelRig.Patience);

        var problem = Assert.Single(service.Problems);
        Assert.StartsWith("Panel:Lcd (I2C bus 250, address 0x27) unavailable: ", problem, StringComparison.Ordinal);
        Assert.Contains("/dev/i2c-250", problem, StringComparison.Ordinal);
        await service.StopAsync(CancellationToken.None);
    }
}
