using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>
/// The front panel (configuration section <see cref="SectionName"/>): status LEDs (three, or one RGB LED) and the ask
/// and cancel buttons, each a GPIO line, and an optional character LCD on I2C. With none configured the service runs
/// headless.
/// </summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    /// <summary>The System.Device.Gpio driver that reaches the chips: libgpiod 1.x unless a board needs another.</summary>
    public GpioDriverKind Driver { get; set; } = GpioDriverKind.Libgpiod;

    public PanelLedOptions? Leds { get; set; }

    public PanelRgbLedOptions? RgbLed { get; set; }

    public PanelButtonOptions? Buttons { get; set; }

    /// <summary>An optional character LCD on I2C; absent: none.</summary>
    public PanelLcdOptions? Lcd { get; set; }

    /// <summary>The prompt a short press of the ask button sends.</summary>
    public string AskPrompt { get; set; } = "In two sentences: who are you and what can you help me with?";

    /// <summary>How long a button must be held to count as a long press.</summary>
    public int LongPressMilliseconds { get; set; } = 2000;

    /// <summary>How long a button's level must stay put to count (debounced in software); 0 turns it off.</summary>
    public int DebounceMilliseconds { get; set; } = 30;

    public bool IsConfigured => Assignments().Count > 0 || Lcd is not null;

    public TimeSpan LongPress => TimeSpan.FromMilliseconds(LongPressMilliseconds);

    public TimeSpan Debounce => TimeSpan.FromMilliseconds(DebounceMilliseconds);

    /// <summary>Every configured role, RGB channels mapped onto the LED roles they stand for.</summary>
    public IReadOnlyList<PanelLineAssignment> Assignments()
    {
        var assignments = new List<PanelLineAssignment>();
        void Add(PanelRole role, string path, PanelLineOptions? line)
        {
            if (line is not null)
            {
                assignments.Add(new PanelLineAssignment(role, $"{SectionName}:{path}", line));
            }
        }

        Add(PanelRole.ReadyLed, "Leds:Ready", Leds?.Ready);
        Add(PanelRole.BusyLed, "Leds:Busy", Leds?.Busy);
        Add(PanelRole.ErrorLed, "Leds:Error", Leds?.Error);
        Add(PanelRole.ReadyLed, "RgbLed:Green", RgbLed?.Green);
        Add(PanelRole.BusyLed, "RgbLed:Blue", RgbLed?.Blue);
        Add(PanelRole.ErrorLed, "RgbLed:Red", RgbLed?.Red);
        Add(PanelRole.AskButton, "Buttons:Ask", Buttons?.Ask);
        Add(PanelRole.CancelButton, "Buttons:Cancel", Buttons?.Cancel);
        return assignments;
    }

    /// <summary>The configured buttons by their wire names ("ask", "cancel"), as button events name them.</summary>
    public IReadOnlyList<string> ButtonNames() =>
        [.. new[] { (Buttons?.Ask, "ask"), (Buttons?.Cancel, "cancel") }.Where(button => button.Item1 is not null).Select(button => button.Item2)];

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (Leds is not null && RgbLed is not null)
        {
            problems.Add($"{SectionName}:Leds and {SectionName}:RgbLed are both configured; wire either three LEDs or one RGB LED");
        }

        if (!Enum.IsDefined(Driver))
        {
            problems.Add($"{SectionName}:Driver must be Libgpiod, LibgpiodV2 or Sysfs, got {(int)Driver}");
        }

        var assignments = Assignments();
        foreach (var assignment in assignments)
        {
            CheckLine(problems, assignment);
        }

        foreach (var clash in assignments
            .Where(a => !string.IsNullOrWhiteSpace(a.Line.Chip) && !string.IsNullOrWhiteSpace(a.Line.Line))
            .GroupBy(a => (Chip: a.Line.Chip!.Trim(), Line: a.Line.Line!.Trim()))
            .Where(group => group.Count() > 1))
        {
            problems.Add($"{string.Join(" and ", clash.Select(a => a.ConfigPath))} all use {clash.Key.Chip} line {clash.Key.Line}; each role needs a line of its own");
        }

        if (Lcd is not null)
        {
            problems.AddRange(Lcd.Validate());
        }

        if (DebounceMilliseconds is < 0 or > 1000)
        {
            problems.Add($"{SectionName}:DebounceMilliseconds must be between 0 and 1000, got {DebounceMilliseconds}");
        }

        if (LongPressMilliseconds is < 100 or > 60_000)
        {
            problems.Add($"{SectionName}:LongPressMilliseconds must be between 100 and 60000, got {LongPressMilliseconds}");
        }
        else if (LongPressMilliseconds <= 2 * DebounceMilliseconds)
        {
            problems.Add($"{SectionName}:LongPressMilliseconds ({LongPressMilliseconds}) must be more than twice {SectionName}:DebounceMilliseconds ({DebounceMilliseconds})");
        }

        if (Buttons?.Ask is not null && string.IsNullOrWhiteSpace(AskPrompt))
        {
            problems.Add($"{SectionName}:AskPrompt must not be empty when {SectionName}:Buttons:Ask is configured");
        }

        return problems;
    }

    private static void CheckLine(List<string> problems, PanelLineAssignment assignment)
    {
        var line = assignment.Line;
        if (string.IsNullOrWhiteSpace(line.Chip))
        {
            problems.Add($"{assignment.ConfigPath}:Chip is required: a chip label (e.g. pinctrl-rp1), name (gpiochip0), path (/dev/gpiochip0) or number (0)");
        }

        if (string.IsNullOrWhiteSpace(line.Line))
        {
            problems.Add($"{assignment.ConfigPath}:Line is required: a line offset (e.g. 17)");
        }
        else if (!line.Line.Trim().All(char.IsAsciiDigit))
        {
            problems.Add($"{assignment.ConfigPath}:Line must be a line offset (e.g. 17), got '{line.Line}': System.Device.Gpio addresses lines by offset, not by name");
        }
        else if (!int.TryParse(line.Line.Trim(), System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"{assignment.ConfigPath}:Line offset {line.Line} is too large");
        }

        if (line.Bias is { } bias && !Enum.IsDefined(bias))
        {
            problems.Add($"{assignment.ConfigPath}:Bias must be AsIs, Disabled, PullUp or PullDown, got {(int)bias}");
        }
        else if (!assignment.IsButton && line.Bias is GpioBias.PullUp or GpioBias.PullDown)
        {
            problems.Add($"{assignment.ConfigPath}:Bias {line.Bias} applies to buttons only: an LED's line is an output");
        }
    }
}
