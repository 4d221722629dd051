namespace Appliance.Panel;

/// <summary>Three separate status LEDs (section Panel:Leds).</summary>
public sealed class PanelLedOptions
{
    public PanelLineOptions? Ready { get; set; }

    public PanelLineOptions? Busy { get; set; }

    public PanelLineOptions? Error { get; set; }
}
