using System.Device.Gpio;

namespace Appliance.Panel;

/// <summary>A button role's input pin on its controller, and whether it was pressed when opened.</summary>
internal sealed record PanelButtonLine(PanelLineAssignment Assignment, GpioController Controller, int Pin, bool InitiallyPressed)
{
    public PanelButton Button => Assignment.Role == PanelRole.AskButton ? PanelButton.Ask : PanelButton.Cancel;
}
