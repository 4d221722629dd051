using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>Where one panel role is wired: a chip, a line on it, and how the line is driven or read.</summary>
public sealed class PanelLineOptions
{
    /// <summary>The chip's label ("pinctrl-rp1", "tegra234-gpio"; stable across kernels), kernel name ("gpiochip0"), path or number.</summary>
    public string? Chip { get; set; }

    /// <summary>An offset on the chip ("17"; all digits). System.Device.Gpio has no lookup by line name.</summary>
    public string? Line { get; set; }

    /// <summary>Whether "on"/"pressed" is the low level. Default: false for LEDs, true for buttons (wired to GND).</summary>
    public bool? ActiveLow { get; set; }

    /// <summary>The pull resistor a button asks for (outputs take none). Default: PullUp for buttons.</summary>
    public GpioBias? Bias { get; set; }
}
