using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>An LED role's output line.</summary>
internal sealed class PanelLed(PanelLineAssignment assignment, IGpioLineRequest request, uint offset)
{
    public PanelLineAssignment Assignment { get; } = assignment;

    /// <summary>Throws <see cref="GpioException"/> when the line cannot be driven.</summary>
    public void Write(bool on) => request.SetValue(offset, on);
}
