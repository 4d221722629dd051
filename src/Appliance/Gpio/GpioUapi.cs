namespace Appliance.Gpio;

/// <summary>Constants of the Linux GPIO character device ABI v2 (include/uapi/linux/gpio.h).</summary>
internal static class GpioUapi
{
    /// <summary>GPIO_MAX_NAME_SIZE: chip names, labels, line names and consumers, NUL terminator included.</summary>
    public const int MaxNameSize = 32;

    /// <summary>GPIO_V2_LINES_MAX: lines in one request (values are 64-bit bitmaps over the request's lines).</summary>
    public const int LinesMax = 64;

    /// <summary>GPIO_V2_LINE_NUM_ATTRS_MAX: configuration attributes in one line configuration.</summary>
    public const int LineAttributesMax = 10;

    // enum gpio_v2_line_attr_id
    public const uint AttributeFlags = 1;
    public const uint AttributeOutputValues = 2;
    public const uint AttributeDebounce = 3;

    // enum gpio_v2_line_event_id
    public const uint EventRisingEdge = 1;
    public const uint EventFallingEdge = 2;

    /// <summary>The ioctl "type" byte every GPIO character device request uses.</summary>
    public const byte IoctlMagic = 0xB4;
}
