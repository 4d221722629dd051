namespace Appliance.Panel;

/// <summary>The panel's buttons (section Panel:Buttons).</summary>
public sealed class PanelButtonOptions
{
    /// <summary>Short press: asks the preset prompt. Long press: published only (reserved for push-to-talk).</summary>
    public PanelLineOptions? Ask { get; set; }

    /// <summary>Short press: cancels the running request. Long press: reloads the model.</summary>
    public PanelLineOptions? Cancel { get; set; }
}
