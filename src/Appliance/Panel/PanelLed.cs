using System.Device.Gpio;
using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>An LED role's output pin.</summary>
internal sealed class PanelLed(PanelLineAssignment assignment, GpioController controller, int pin)
{
    public PanelLineAssignment Assignment { get; } = assignment;

    /// <summary>Throws <see cref="GpioException"/> when the line cannot be driven.</summary>
    public void Write(bool on) => GpioFailure.Guard(null, () => controller.Write(pin, Assignment.LevelFor(on)));
}
