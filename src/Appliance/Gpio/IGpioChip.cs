namespace Appliance.Gpio;

/// <summary>An open GPIO chip: its description, its lines, and requests for some of them.</summary>
public interface IGpioChip : IDisposable
{
    GpioChipInfo Info { get; }

    GpioLineInfo GetLineInfo(uint offset);

    /// <summary>The offset of the first line called <paramref name="name"/>; throws <see cref="GpioException"/> when none is.</summary>
    uint FindLine(string name);

    /// <summary>
    /// Requests <paramref name="lines"/> (1 to 64, distinct offsets) for <paramref name="consumer"/> (the label
    /// gpioinfo shows, at most 31 bytes). The lines stay requested until the returned request is disposed.
    /// </summary>
    IGpioLineRequest RequestLines(string consumer, IReadOnlyList<GpioLineConfig> lines);
}
