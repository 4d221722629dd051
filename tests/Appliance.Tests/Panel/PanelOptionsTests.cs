using System.Text;
using Appliance.Gpio;
using Appliance.Panel;
using Microsoft.Extensions.Configuration;

namespace Appliance.Tests.Panel;

public sealed class PanelOptionsTests
{
    private const string ReadmeExample = """
        {
          "Panel": {
            "Driver": "LibgpiodV2",
            "Leds": {
              "Ready": { "Chip": "pinctrl-rp1", "Line": "5" },
              "Busy":  { "Chip": "pinctrl-rp1", "Line": "6" },
              "Error": { "Chip": "pinctrl-rp1", "Line": "13", "ActiveLow": true }
            },
            "Buttons": {
              "Ask":    { "Chip": "pinctrl-rp1", "Line": "4" },
              "Cancel": { "Chip": "/dev/gpiochip0", "Line": "22", "Bias": "PullDown", "ActiveLow": false }
            },
            "AskPrompt": "What is the weather like on Mars?",
            "LongPressMilliseconds": 1500,
            "DebounceMilliseconds": 20
          }
        }
        """;

    [Fact]
    public void Binds_from_configuration_with_role_defaults()
    {
        var options = Bind(ReadmeExample);

        Assert.True(options.IsConfigured);
        Assert.Empty(options.Validate());
        Assert.Equal("What is the weather like on Mars?", options.AskPrompt);
        Assert.Equal(GpioDriverKind.LibgpiodV2, options.Driver);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.LongPress);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.Debounce);
        Assert.Equal(
            [
                (PanelRole.ReadyLed, "Panel:Leds:Ready", "5", false, GpioBias.AsIs),
                (PanelRole.BusyLed, "Panel:Leds:Busy", "6", false, GpioBias.AsIs),
                (PanelRole.ErrorLed, "Panel:Leds:Error", "13", true, GpioBias.AsIs),
                (PanelRole.AskButton, "Panel:Buttons:Ask", "4", true, GpioBias.PullUp),
                (PanelRole.CancelButton, "Panel:Buttons:Cancel", "22", false, GpioBias.PullDown),
            ],
            options.Assignments().Select(a => (a.Role, a.ConfigPath, a.Line.Line!, a.ActiveLow, a.Bias)));
    }

    [Fact]
    public void An_absent_or_empty_section_means_headless()
    {
        var absent = Bind("{}");
        var empty = Bind("""{ "Panel": { "AskPrompt": "hi" } }""");

        Assert.False(absent.IsConfigured);
        Assert.False(empty.IsConfigured);
        Assert.Empty(absent.Validate());
    }

    [Fact]
    public void An_rgb_led_maps_green_blue_red_onto_ready_busy_error()
    {
        var options = Bind("""
            { "Panel": { "RgbLed": {
                "Red": { "Chip": "tegra234-gpio", "Line": "105" },
                "Green": { "Chip": "tegra234-gpio", "Line": "106" },
                "Blue": { "Chip": "tegra234-gpio", "Line": "43" } } } }
            """);

        Assert.Empty(options.Validate());
        Assert.Equal(
            [(PanelRole.ReadyLed, "Panel:RgbLed:Green"), (PanelRole.BusyLed, "Panel:RgbLed:Blue"), (PanelRole.ErrorLed, "Panel:RgbLed:Red")],
            options.Assignments().Select(a => (a.Role, a.ConfigPath)));
    }

    [Fact]
    public void Validation_names_every_problem_by_its_configuration_path()
    {
        var options = new PanelOptions
        {
            Leds = new PanelLedOptions
            {
                Ready = new PanelLineOptions { Chip = "gpiochip0", Line = "17" },
                Busy = new PanelLineOptions { Line = "27" },
                Error = new PanelLineOptions { Chip = "gpiochip0", Line = "22", Bias = GpioBias.PullUp },
            },
            RgbLed = new PanelRgbLedOptions { Green = new PanelLineOptions { Chip = "gpiochip0", Line = "GPIO5" }, Red = new PanelLineOptions { Chip = "gpiochip0", Line = " " } },
            Buttons = new PanelButtonOptions
            {
                Ask = new PanelLineOptions { Chip = "gpiochip0", Line = "17" },
                Cancel = new PanelLineOptions { Chip = "gpiochip0", Line = "99999999999", Bias = (GpioBias)42 },
            },
            AskPrompt = " ",
            DebounceMilliseconds = 1500,
            LongPressMilliseconds = 50,
            Driver = (GpioDriverKind)7,
        };

        Assert.Equal(
            [
                "Panel:Leds and Panel:RgbLed are both configured; wire either three LEDs or one RGB LED",
                "Panel:Driver must be Libgpiod, LibgpiodV2 or Sysfs, got 7",
                "Panel:Leds:Busy:Chip is required: a chip label (e.g. pinctrl-rp1), name (gpiochip0), path (/dev/gpiochip0) or number (0)",
                "Panel:Leds:Error:Bias PullUp applies to buttons only: an LED's line is an output",
                "Panel:RgbLed:Green:Line must be a line offset (e.g. 17), got 'GPIO5': System.Device.Gpio addresses lines by offset, not by name",
                "Panel:RgbLed:Red:Line is required: a line offset (e.g. 17)",
                "Panel:Buttons:Cancel:Line offset 99999999999 is too large",
                "Panel:Buttons:Cancel:Bias must be AsIs, Disabled, PullUp or PullDown, got 42",
                "Panel:Leds:Ready and Panel:Buttons:Ask all use gpiochip0 line 17; each role needs a line of its own",
                "Panel:DebounceMilliseconds must be between 0 and 1000, got 1500",
                "Panel:LongPressMilliseconds must be between 100 and 60000, got 50",
                "Panel:AskPrompt must not be empty when Panel:Buttons:Ask is configured",
            ],
            options.Validate());
    }

    [Fact]
    public void An_lcd_alone_is_a_panel_and_its_bus_address_and_size_are_checked()
    {
        var lcd = Bind("""{ "Panel": { "Lcd": { "Bus": 3, "Address": 63, "Size": "20x4" } } }""");
        Assert.True(lcd.IsConfigured);
        Assert.Empty(lcd.Validate());
        Assert.Equal((3, 0x3F, 20, 4), (lcd.Lcd!.Bus, lcd.Lcd.Address, lcd.Lcd.Columns, lcd.Lcd.Rows));

        var wrong = new PanelOptions { Lcd = new PanelLcdOptions { Bus = -1, Address = 0x78, Size = "40x2" } };
        Assert.Equal(
            [
                "Panel:Lcd:Bus must be between 0 and 255 (/dev/i2c-N), got -1",
                "Panel:Lcd:Address must be a 7-bit address between 8 and 119 (0x08-0x77), got 120",
                "Panel:Lcd:Size must be 16x2 or 20x4, got '40x2'",
            ],
            wrong.Validate());
    }

    [Fact]
    public void The_long_press_must_outlast_two_debounce_periods()
    {
        var options = new PanelOptions { Buttons = new PanelButtonOptions { Cancel = PanelRig.Line("6") }, DebounceMilliseconds = 100, LongPressMilliseconds = 200 };

        Assert.Equal(["Panel:LongPressMilliseconds (200) must be more than twice Panel:DebounceMilliseconds (100)"], options.Validate());
    }

    private static PanelOptions Bind(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var options = new PanelOptions();
        configuration.GetSection(PanelOptions.SectionName).Bind(options);
        return options;
    }
}
