using System.Globalization;

namespace Appliance.Gpio;

public static class GpioChipExtensions
{
    /// <summary>
    /// The offset of the line <paramref name="offsetOrName"/> names: all digits is an offset (checked against the
    /// chip's line count), anything else a line name.
    /// </summary>
    public static uint ResolveLine(this IGpioChip chip, string offsetOrName)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentException.ThrowIfNullOrWhiteSpace(offsetOrName);
        if (!offsetOrName.All(char.IsAsciiDigit))
        {
            return chip.FindLine(offsetOrName);
        }

        if (!uint.TryParse(offsetOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset >= chip.Info.LineCount)
        {
            throw new GpioException($"{chip.Info.Description} has {chip.Info.LineCount} lines; there is no line {offsetOrName}");
        }

        return offset;
    }

    /// <summary>Requests a single line.</summary>
    public static IGpioLineRequest RequestLine(this IGpioChip chip, string consumer, uint offset, GpioLineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(chip);
        return chip.RequestLines(consumer, [new GpioLineConfig(offset, settings)]);
    }
}
