using System.Device.Gpio;
using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>What a panel line does.</summary>
public enum PanelRole
{
    ReadyLed,
    BusyLed,
    ErrorLed,
    AskButton,
    CancelButton,
}

/// <summary>One configured role: where its options live (for messages) and how it is wired.</summary>
public sealed record PanelLineAssignment(PanelRole Role, string ConfigPath, PanelLineOptions Line)
{
    public bool IsButton => Role is PanelRole.AskButton or PanelRole.CancelButton;

    public bool ActiveLow => Line.ActiveLow ?? IsButton;

    public GpioBias Bias => Line.Bias ?? (IsButton ? GpioBias.PullUp : GpioBias.AsIs);

    /// <summary>The pin mode a button's bias asks for; System.Device.Gpio has no separate "bias disabled".</summary>
    public PinMode InputMode => Bias switch
    {
        GpioBias.PullUp => PinMode.InputPullUp,
        GpioBias.PullDown => PinMode.InputPullDown,
        _ => PinMode.Input,
    };

    /// <summary>The pin's line offset (configuration has validated it as digits).</summary>
    public int Pin => int.Parse(Line.Line!.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The physical level for a logical "on"/"pressed": the library has no active-low, so it is applied here.</summary>
    public PinValue LevelFor(bool active) => active != ActiveLow ? PinValue.High : PinValue.Low;

    /// <summary>Whether a physical level means "on"/"pressed".</summary>
    public bool IsActive(PinValue level) => (level == PinValue.High) != ActiveLow;

    /// <summary>"Panel:Buttons:Ask (pinctrl-rp1 line 4)".</summary>
    public string Description => $"{ConfigPath} ({Line.Chip} line {Line.Line})";
}
