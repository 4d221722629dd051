namespace Appliance.Gpio;

public enum GpioDirection
{
    Input,
    Output,
}

/// <summary>The line's pull resistor; <see cref="AsIs"/> leaves whatever the board or pin mux set.</summary>
public enum GpioBias
{
    AsIs,
    Disabled,
    PullUp,
    PullDown,
}

public enum GpioDrive
{
    PushPull,
    OpenDrain,
    OpenSource,
}

/// <summary>Which transitions of the (logical, active-low-adjusted) value the kernel reports as edge events.</summary>
public enum GpioEdgeDetection
{
    None,
    Rising,
    Falling,
    Both,
}

/// <summary>
/// How one requested line behaves. Values are logical: with <see cref="ActiveLow"/> the kernel inverts them, so
/// "active" and a rising edge both mean "pressed" for a button that pulls the pin low.
/// </summary>
public sealed record GpioLineSettings
{
    public GpioDirection Direction { get; init; } = GpioDirection.Input;

    public GpioBias Bias { get; init; } = GpioBias.AsIs;

    /// <summary>Outputs only.</summary>
    public GpioDrive Drive { get; init; } = GpioDrive.PushPull;

    public bool ActiveLow { get; init; }

    /// <summary>Inputs only.</summary>
    public GpioEdgeDetection EdgeDetection { get; init; } = GpioEdgeDetection.None;

    /// <summary>Inputs only; zero means none. The kernel debounces in hardware where it can, otherwise in software.</summary>
    public TimeSpan DebouncePeriod { get; init; } = TimeSpan.Zero;

    /// <summary>Outputs only: the logical value the line takes when requested.</summary>
    public bool OutputValue { get; init; }
}

/// <summary>One line of a request: its offset on the chip and how it behaves.</summary>
public sealed record GpioLineConfig(uint Offset, GpioLineSettings Settings);
