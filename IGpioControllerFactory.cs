using System.Device.Gpio;

namespace Appliance.Gpio;

/// <summary>Opens a <see cref="GpioController"/> on the chip configuration names.</summary>
public interface IGpioControllerFactory
{
    /// <summary>
    /// Opens the chip named by <paramref name="chip"/>: its label ("pinctrl-rp1"), kernel name ("gpiochip4"), path
    /// ("/dev/gpiochip4") or number ("4"). Throws <see cref="GpioException"/> saying why when it cannot.
    /// </summary>
    GpioController OpenChip(string chip);
}
