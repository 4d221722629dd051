namespace Appliance.Gpio;

public enum GpioEdgeKind
{
    /// <summary>Inactive to active (for an active-low line: physically high to low).</summary>
    Rising,

    /// <summary>Active to inactive.</summary>
    Falling,
}

/// <summary>
/// One edge on a requested line. <see cref="TimestampNs"/> is CLOCK_MONOTONIC in nanoseconds (the kernel's default event
/// clock); the sequence numbers count events across the request and on this line, so gaps reveal an overflowed buffer.
/// </summary>
public readonly record struct GpioEdgeEvent(ulong TimestampNs, GpioEdgeKind Kind, uint Offset, uint SequenceNumber, uint LineSequenceNumber)
{
    /// <summary>The timestamp as a span since the clock's origin (boot, for CLOCK_MONOTONIC).</summary>
    public TimeSpan Timestamp => TimeSpan.FromTicks((long)(TimestampNs / 100));
}
