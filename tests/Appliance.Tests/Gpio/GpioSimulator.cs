namespace Appliance.Tests.Gpio;

/// <summary>
/// A simulated GPIO chip made through the kernel's gpio-sim configfs interface (needs root, the gpio-sim module and
/// configfs mounted at /sys/kernel/config). Its lines are driven from sysfs: an input line follows its simulated pull,
/// an output line's value can be read back. Torn down on dispose.
/// </summary>
internal sealed class GpioSimulator : IDisposable
{
    public const string ConfigRoot = "/sys/kernel/config/gpio-sim";

    /// <summary>The simulated lines' names, by offset.</summary>
    public static readonly string[] LineNames = ["led-ready", "led-busy", "led-error", "spare-out", "btn-ask", "btn-cancel", "spare-in", "spare"];

    private readonly string _device;
    private readonly string _bank;
    private readonly string _sysfs;

    private GpioSimulator(string device, string bank, string label, string chipName, string devName)
    {
        _device = device;
        _bank = bank;
        Label = label;
        ChipName = chipName;
        _sysfs = $"/sys/devices/platform/{devName}/{chipName}";
    }

    public string Label { get; }

    /// <summary>The kernel name of the simulated chip ("gpiochip3").</summary>
    public string ChipName { get; }

    public string ChipPath => $"/dev/{ChipName}";

    /// <summary>Creates the chip, or returns null and says why it cannot be made here.</summary>
    public static GpioSimulator? TryCreate(out string whyNot)
    {
        if (!Directory.Exists(ConfigRoot))
        {
            whyNot = $"{ConfigRoot} does not exist (gpio-sim needs: sudo modprobe gpio-sim, and configfs mounted: " +
                "sudo mount -t configfs none /sys/kernel/config)";
            return null;
        }

        var label = $"appliance-sim-{Environment.ProcessId}";
        var device = Path.Combine(ConfigRoot, label);
        var bank = Path.Combine(device, "gpio-bank0");
        try
        {
            Directory.CreateDirectory(device);
            Directory.CreateDirectory(bank);
            File.WriteAllText(Path.Combine(bank, "num_lines"), LineNames.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(bank, "label"), label);
            for (var offset = 0; offset < LineNames.Length; offset++)
            {
                var line = Path.Combine(bank, $"line{offset}");
                Directory.CreateDirectory(line);
                File.WriteAllText(Path.Combine(line, "name"), LineNames[offset]);
            }

            File.WriteAllText(Path.Combine(device, "live"), "1");
            var simulator = new GpioSimulator(
                device, bank, label, File.ReadAllText(Path.Combine(bank, "chip_name")).Trim(), File.ReadAllText(Path.Combine(device, "dev_name")).Trim());
            whyNot = "";
            return simulator;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TearDown(device, bank);
            whyNot = $"could not create a gpio-sim chip under {ConfigRoot} (root needed): {ex.Message}";
            return null;
        }
    }

    /// <summary>Drives an input line through its simulated pull resistor.</summary>
    public void SetPull(uint offset, bool up) => File.WriteAllText($"{_sysfs}/sim_gpio{offset}/pull", up ? "pull-up" : "pull-down");

    /// <summary>The physical level of a line (what an output drives).</summary>
    public bool ReadValue(uint offset) => File.ReadAllText($"{_sysfs}/sim_gpio{offset}/value").Trim() == "1";

    public void Dispose() => TearDown(_device, _bank);

    private static void TearDown(string device, string bank)
    {
        try
        {
            if (File.Exists(Path.Combine(device, "live")))
            {
                File.WriteAllText(Path.Combine(device, "live"), "0");
            }

            // configfs groups go with rmdir, innermost first.
            for (var offset = 0; offset < LineNames.Length; offset++)
            {
                var line = Path.Combine(bank, $"line{offset}");
                if (Directory.Exists(line))
                {
                    Directory.Delete(line);
                }
            }

            if (Directory.Exists(bank))
            {
                Directory.Delete(bank);
            }

            if (Directory.Exists(device))
            {
                Directory.Delete(device);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover simulated chip does not affect the next run, which uses its own process id.
        }
    }
}
