namespace Appliance.Panel;

public enum PanelButton
{
    Ask,
    Cancel,
}

public enum ButtonPressKind
{
    /// <summary>Released before the long-press time.</summary>
    ShortPress,

    /// <summary>Held for the long-press time; reported as soon as that time is reached, not at release.</summary>
    LongPress,
}

/// <summary>A recognised button press and the wall-clock time it was recognised.</summary>
public readonly record struct ButtonPress(PanelButton Button, ButtonPressKind Kind, DateTimeOffset RecognisedAt);
