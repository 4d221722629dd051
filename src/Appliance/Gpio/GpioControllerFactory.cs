using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Globalization;

namespace Appliance.Gpio;

/// <summary>
/// Opens chips through one of System.Device.Gpio's drivers: lists the chips the driver sees, picks the one configuration
/// names, and hands a <see cref="GpioController"/> over a driver for it. A missing libgpiod, a missing chip or a refused
/// open becomes a <see cref="GpioException"/> naming the chip.
/// </summary>
public sealed class GpioControllerFactory(string driverName, Func<IList<GpioChipInfo>> listChips, Func<GpioChipInfo, GpioDriver> createDriver)
    : IGpioControllerFactory
{
    public static GpioControllerFactory For(GpioDriverKind driver) => driver switch
    {
        GpioDriverKind.Libgpiod => new("libgpiod", LibGpiodDriver.GetAvailableChips, chip => new LibGpiodDriver(chip)),
        GpioDriverKind.LibgpiodV2 => new("libgpiod v2", ListLibgpiodV2Chips, chip => new LibGpiodV2Driver(chip)),
        GpioDriverKind.Sysfs => new("sysfs", SysFsDriver.GetAvailableChips, chip => new SysFsDriver(chip)),
        _ => throw new ArgumentOutOfRangeException(nameof(driver), driver, "Unknown GPIO driver."),
    };

    public GpioController OpenChip(string chip)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chip);
        var chips = GpioFailure.Guard($"GPIO chip {chip}", () => listChips());
        var found = chips.FirstOrDefault(info => Names(info, chip))
            ?? throw new GpioException($"No GPIO chip labelled or named '{chip}': the {driverName} driver sees {Seen(chips)}");
        return GpioFailure.Guard(Describe(found), () => new GpioController(createDriver(found)));
    }

    /// <summary>"GPIO chip gpiochip0 (pinctrl-rp1)", the subject of every message about the chip.</summary>
    public static string Describe(GpioChipInfo chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        return chip.Label.Length > 0 ? $"GPIO chip {chip.Name} ({chip.Label})" : $"GPIO chip {chip.Name}";
    }

    private static IList<GpioChipInfo> ListLibgpiodV2Chips()
    {
        // The v2 driver lists no chips, rather than failing, when libgpiod.so.3 is missing: asking its version loads it.
        _ = LibGpiodV2Driver.GetApiVersion();
        return LibGpiodV2Driver.GetAvailableChips();
    }

    private static bool Names(GpioChipInfo info, string chip) =>
        info.Label == chip || info.Name == chip || $"/dev/{info.Name}" == chip || info.Id.ToString(CultureInfo.InvariantCulture) == chip;

    private static string Seen(IList<GpioChipInfo> chips) =>
        chips.Count == 0 ? "no GPIO chip on this machine" : string.Join(", ", chips.Select(Describe));
}
