namespace Appliance.Gpio;

/// <summary>A GPIO chip: where it was opened, its kernel name ("gpiochip0"), label ("pinctrl-rp1") and line count.</summary>
public sealed record GpioChipInfo(string Path, string Name, string Label, uint LineCount)
{
    /// <summary>"/dev/gpiochip0 (pinctrl-rp1)", for messages.</summary>
    public string Description => Label.Length > 0 ? $"GPIO chip {Path} ({Label})" : $"GPIO chip {Path}";
}
