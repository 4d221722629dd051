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

    /// <summary>"Panel:Buttons:Ask (pinctrl-rp1 line 4)".</summary>
    public string Description => $"{ConfigPath} ({Line.Chip} line {Line.Line})";
}
