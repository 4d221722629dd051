using System.Globalization;

namespace Appliance.Gpio;

/// <summary>
/// Finds GPIO character devices in /dev (or another directory, for tests): a path is opened as is, a kernel name
/// ("gpiochip4") as /dev/gpiochip4, anything else is matched against each chip's label ("pinctrl-rp1"). Chip numbers
/// change between kernels and boards; labels do not, so configuration should prefer them.
/// </summary>
public sealed class LinuxGpioChipProvider(string deviceDirectory = "/dev") : IGpioChipProvider
{
    /// <summary>The character devices present, sorted by chip number.</summary>
    public IReadOnlyList<string> ChipPaths() =>
        Directory.Exists(deviceDirectory)
            ? Directory.EnumerateFiles(deviceDirectory, "gpiochip*")
                .Select(path => (Path: path, Number: ChipNumber(path)))
                .Where(chip => chip.Number >= 0)
                .OrderBy(chip => chip.Number)
                .Select(chip => chip.Path)
                .ToArray()
            : [];

    public IGpioChip OpenChip(string chip)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chip);
        if (chip.Contains('/', StringComparison.Ordinal))
        {
            return GpioCharDevChip.Open(chip);
        }

        var byName = Path.Combine(deviceDirectory, chip);
        if (chip.StartsWith("gpiochip", StringComparison.Ordinal) || File.Exists(byName))
        {
            return GpioCharDevChip.Open(byName);
        }

        var seen = new List<string>();
        foreach (var path in ChipPaths())
        {
            GpioCharDevChip candidate;
            try
            {
                candidate = GpioCharDevChip.Open(path);
            }
            catch (GpioException ex)
            {
                seen.Add(ex.Message);
                continue;
            }

            if (string.Equals(candidate.Info.Label, chip, StringComparison.Ordinal))
            {
                return candidate;
            }

            seen.Add($"{candidate.Info.Name} '{candidate.Info.Label}'");
            candidate.Dispose();
        }

        throw new GpioException(seen.Count == 0
            ? $"No GPIO chip labelled '{chip}': {deviceDirectory} holds no gpiochip devices (is this a board with GPIO, and CONFIG_GPIO_CDEV enabled?)"
            : $"No GPIO chip labelled '{chip}' in {deviceDirectory}; found {string.Join("; ", seen)}");
    }

    /// <summary>N of ".../gpiochipN"; -1 for other names.</summary>
    private static int ChipNumber(string path) =>
        int.TryParse(Path.GetFileName(path).AsSpan("gpiochip".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;
}
