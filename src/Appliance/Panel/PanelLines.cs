using System.Device.Gpio;
using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>
/// Opens the configured roles' pins, one <see cref="GpioController"/> per chip: LEDs as outputs (off), buttons as inputs
/// with the bias they ask for. A role that cannot be opened is recorded as a problem naming its configuration path,
/// chip and line; the others still open. Owns the controllers, and through them the pins and drivers.
/// </summary>
internal sealed class PanelLines : IDisposable
{
    private readonly List<GpioController> _controllers = [];

    private PanelLines()
    {
    }

    public List<PanelLed> Leds { get; } = [];

    public List<PanelButtonLine> Buttons { get; } = [];

    public List<string> Problems { get; } = [];

    public bool IsEmpty => Leds.Count == 0 && Buttons.Count == 0;

    public static PanelLines Open(PanelOptions options, IGpioControllerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        var lines = new PanelLines();
        var controllers = new Dictionary<string, GpioController>(StringComparer.Ordinal);
        var chipFailures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in options.Assignments())
        {
            var chipName = assignment.Line.Chip!.Trim();
            try
            {
                if (chipFailures.TryGetValue(chipName, out var failure))
                {
                    throw new GpioException(failure);
                }

                if (!controllers.TryGetValue(chipName, out var controller))
                {
                    try
                    {
                        controller = factory.OpenChip(chipName);
                    }
                    catch (GpioException ex)
                    {
                        chipFailures[chipName] = ex.Message;
                        throw;
                    }

                    controllers[chipName] = controller;
                    lines._controllers.Add(controller);
                }

                if (assignment.IsButton)
                {
                    lines.Buttons.Add(OpenButton(controller, assignment));
                }
                else
                {
                    lines.Leds.Add(OpenLed(controller, assignment));
                }
            }
            catch (GpioException ex)
            {
                lines.Problems.Add($"{assignment.Description} unavailable: {ex.Message}");
            }
        }

        return lines;
    }

    /// <summary>Closes every pin and releases every chip.</summary>
    public void Dispose()
    {
        foreach (var controller in _controllers)
        {
            controller.Dispose();
        }

        _controllers.Clear();
    }

    private static PanelLed OpenLed(GpioController controller, PanelLineAssignment assignment)
    {
        GpioFailure.Guard(null, () => controller.OpenPin(assignment.Pin, PinMode.Output, assignment.LevelFor(false)));
        return new PanelLed(assignment, controller, assignment.Pin);
    }

    private static PanelButtonLine OpenButton(GpioController controller, PanelLineAssignment assignment)
    {
        var pin = assignment.Pin;
        GpioFailure.Guard(null, () => controller.OpenPin(pin, assignment.InputMode));
        try
        {
            var pressed = GpioFailure.Guard(null, () => assignment.IsActive(controller.Read(pin)));
            return new PanelButtonLine(assignment, controller, pin, pressed);
        }
        catch (GpioException)
        {
            controller.ClosePin(pin);
            throw;
        }
    }
}
