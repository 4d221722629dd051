using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>
/// A button role's input line: requested with edge detection on both edges, its level when requested, and whether the
/// kernel debounces it too (software debouncing applies either way).
/// </summary>
internal sealed record PanelButtonLine(PanelLineAssignment Assignment, IGpioLineRequest Request, uint Offset, bool InitiallyPressed, bool KernelDebounce)
{
    public PanelButton Button => Assignment.Role == PanelRole.AskButton ? PanelButton.Ask : PanelButton.Cancel;
}
