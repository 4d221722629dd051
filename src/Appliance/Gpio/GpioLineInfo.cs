namespace Appliance.Gpio;

/// <summary>
/// A line as the kernel describes it: name (may be empty), consumer (who holds it, may be empty), flags and the
/// debounce period in force (zero when none).
/// </summary>
public sealed record GpioLineInfo(uint Offset, string Name, string Consumer, GpioLineFlags Flags, TimeSpan DebouncePeriod)
{
    public bool IsUsed => (Flags & GpioLineFlags.Used) != 0;
}
