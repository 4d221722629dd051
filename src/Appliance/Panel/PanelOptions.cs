using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>
/// The front panel (configuration section <see cref="SectionName"/>): status LEDs (three, or one RGB LED) and the ask
/// and cancel buttons, each a GPIO line. With no role configured the service runs headless.
/// </summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    public PanelLedOptions? Leds { get; set; }

    public PanelRgbLedOptions? RgbLed { get; set; }

    public PanelButtonOptions? Buttons { get; set; }

    /// <summary>The prompt a short press of the ask button sends.</summary>
    public string AskPrompt { get; set; } = "In two sentences: who are you and what can you help me with?";

    /// <summary>How long a button must be held to count as a long press.</summary>
    public int LongPressMilliseconds { get; set; } = 2000;

    /// <summary>How long a button's level must stay put to count (asked of the kernel too, where it can); 0 turns it off.</summary>
    public int DebounceMilliseconds { get; set; } = 30;

    /// <summary>The consumer label the lines carry in gpioinfo.</summary>
    public string Consumer { get; set; } = "appliance";

    public bool IsConfigured => Assignments().Count > 0;

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

        if (string.IsNullOrWhiteSpace(Consumer) || Consumer.Length > 31 || !Consumer.All(c => char.IsAscii(c) && !char.IsControl(c)))
        {
            problems.Add($"{SectionName}:Consumer must be 1 to 31 printable ASCII characters, got '{Consumer}'");
        }

        return problems;
    }

    private static void CheckLine(List<string> problems, PanelLineAssignment assignment)
    {
        var line = assignment.Line;
        if (string.IsNullOrWhiteSpace(line.Chip))
        {
            problems.Add($"{assignment.ConfigPath}:Chip is required: a chip label (e.g. pinctrl-rp1), name (gpiochip0) or path (/dev/gpiochip0)");
        }

        if (string.IsNullOrWhiteSpace(line.Line))
        {
            problems.Add($"{assignment.ConfigPath}:Line is required: a line offset (e.g. 17) or line name (e.g. GPIO17)");
        }
        else if (line.Line.All(char.IsAsciiDigit) && !uint.TryParse(line.Line, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"{assignment.ConfigPath}:Line offset {line.Line} is too large");
        }

        if (line.Bias is { } bias && !Enum.IsDefined(bias))
        {
            problems.Add($"{assignment.ConfigPath}:Bias must be AsIs, Disabled, PullUp or PullDown, got {(int)bias}");
        }
    }
}
