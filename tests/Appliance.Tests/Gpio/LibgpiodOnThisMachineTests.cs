using System.Device.Gpio.Drivers;
using System.Runtime.InteropServices;
using Appliance.Gpio;
using Xunit.Abstractions;

namespace Appliance.Tests.Gpio;

/// <summary>
/// System.Device.Gpio's real drivers on this machine, through the appliance's <see cref="GpioControllerFactory"/>: with
/// libgpiod installed (scripts/setup-gpio.sh installs libgpiod2) every chip the driver lists opens and a chip that is not
/// there is a clear error naming what the driver sees; without it, the error says which package to install. The same
/// holds for the libgpiod 2.x driver and libgpiod.so.3. Never a crash, whichever the machine has.
/// </summary>
public sealed class LibgpiodOnThisMachineTests(ITestOutputHelper output)
{
    public static bool LibgpiodInstalled => Loads("libgpiod.so.2");

    [Fact]
    public void The_libgpiod_driver_opens_every_chip_it_lists_and_names_a_missing_one_clearly()
    {
        var factory = GpioControllerFactory.For(GpioDriverKind.Libgpiod);
        if (!LibgpiodInstalled)
        {
            output.WriteLine("libgpiod.so.2 is not installed here: checked the install hint instead.");
            var missing = Assert.Throws<GpioException>(() => factory.OpenChip("gpiochip0"));
            Assert.Equal("GPIO chip gpiochip0: libgpiod is not installed (libgpiod.so.2 could not be loaded; install the package libgpiod2)", missing.Message);
            return;
        }

        var chips = LibGpiodDriver.GetAvailableChips();
        output.WriteLine($"libgpiod lists {chips.Count} chip(s): {string.Join(", ", chips)}");
        foreach (var chip in chips)
        {
            using var controller = factory.OpenChip(chip.Label.Length > 0 ? chip.Label : chip.Name);
            Assert.Equal(chip.NumLines, controller.PinCount);
        }

        var error = Assert.Throws<GpioException>(() => factory.OpenChip("appliance-no-such-chip"));
        var seen = chips.Count == 0 ? "no GPIO chip on this machine" : string.Join(", ", chips.Select(GpioControllerFactory.Describe));
        Assert.Equal($"No GPIO chip labelled or named 'appliance-no-such-chip': the libgpiod driver sees {seen}", error.Message);
    }

    [Fact]
    public void The_libgpiod_v2_driver_without_libgpiod_3_says_which_package_is_missing()
    {
        var factory = GpioControllerFactory.For(GpioDriverKind.LibgpiodV2);
        if (Loads("libgpiod.so.3"))
        {
            output.WriteLine("libgpiod.so.3 is installed here: checked that a missing chip is named instead.");
            var absent = Assert.Throws<GpioException>(() => factory.OpenChip("appliance-no-such-chip"));
            Assert.StartsWith("No GPIO chip labelled or named 'appliance-no-such-chip': the libgpiod v2 driver sees ", absent.Message, StringComparison.Ordinal);
            return;
        }

        var error = Assert.Throws<GpioException>(() => factory.OpenChip("pinctrl-rp1"));
        Assert.Equal(
            "GPIO chip pinctrl-rp1: libgpiod 2.x is not installed (libgpiod.so.3 could not be loaded; install the package libgpiod3, or set Panel:Driver to Libgpiod for libgpiod 1.x)",
            error.Message);
    }

    private static bool Loads(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
