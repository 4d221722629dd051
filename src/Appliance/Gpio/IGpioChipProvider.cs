namespace Appliance.Gpio;

/// <summary>Opens GPIO chips by what configuration names them.</summary>
public interface IGpioChipProvider
{
    /// <summary>
    /// Opens the chip named by <paramref name="chip"/>: a path ("/dev/gpiochip4"), a kernel name ("gpiochip4") or the
    /// chip's label ("pinctrl-rp1"). Throws <see cref="GpioException"/> naming the chip when it cannot.
    /// </summary>
    IGpioChip OpenChip(string chip);
}
