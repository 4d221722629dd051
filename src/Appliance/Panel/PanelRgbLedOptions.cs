namespace Appliance.Panel;

/// <summary>
/// One RGB LED on three lines (section Panel:RgbLed), used instead of <see cref="PanelLedOptions"/>: green shows what
/// the ready LED would, blue the busy LED, red the error LED.
/// </summary>
public sealed class PanelRgbLedOptions
{
    public PanelLineOptions? Red { get; set; }

    public PanelLineOptions? Green { get; set; }

    public PanelLineOptions? Blue { get; set; }
}
