using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Gpio;

// Mirrors of the structs in include/uapi/linux/gpio.h (ABI v2). Natural (sequential) layout reproduces the header's,
// where every __aligned_u64 already falls on an 8-byte boundary; tests pin each size and field offset to the header.

/// <summary>struct gpiochip_info (68 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioChipInfoNative
{
    public fixed byte Name[GpioUapi.MaxNameSize];
    public fixed byte Label[GpioUapi.MaxNameSize];
    public uint Lines;
}

/// <summary>struct gpio_v2_line_attribute (16 bytes): an id and a union of flags, output values or a debounce period.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GpioLineAttributeNative
{
    [FieldOffset(0)]
    public uint Id;

    [FieldOffset(4)]
    public uint Padding;

    [FieldOffset(8)]
    public ulong Flags;

    [FieldOffset(8)]
    public ulong Values;

    [FieldOffset(8)]
    public uint DebouncePeriodMicroseconds;
}

/// <summary>struct gpio_v2_line_config_attribute (24 bytes): an attribute and the request lines it applies to.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioLineConfigAttributeNative
{
    public GpioLineAttributeNative Attribute;
    public ulong Mask;
}

[InlineArray(GpioUapi.LineAttributesMax)]
internal struct GpioLineConfigAttributeArray
{
    private GpioLineConfigAttributeNative _element;
}

[InlineArray(GpioUapi.LineAttributesMax)]
internal struct GpioLineAttributeArray
{
    private GpioLineAttributeNative _element;
}

/// <summary>struct gpio_v2_line_config (272 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioLineConfigNative
{
    public ulong Flags;
    public uint AttributeCount;
    public fixed uint Padding[5];
    public GpioLineConfigAttributeArray Attributes;
}

/// <summary>struct gpio_v2_line_request (592 bytes); the kernel returns the request's file descriptor in <see cref="Fd"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioLineRequestNative
{
    public fixed uint Offsets[GpioUapi.LinesMax];
    public fixed byte Consumer[GpioUapi.MaxNameSize];
    public GpioLineConfigNative Config;
    public uint LineCount;
    public uint EventBufferSize;
    public fixed uint Padding[5];
    public int Fd;
}

/// <summary>struct gpio_v2_line_info (256 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioLineInfoNative
{
    public fixed byte Name[GpioUapi.MaxNameSize];
    public fixed byte Consumer[GpioUapi.MaxNameSize];
    public uint Offset;
    public uint AttributeCount;
    public ulong Flags;
    public GpioLineAttributeArray Attributes;
    public fixed uint Padding[4];
}

/// <summary>struct gpio_v2_line_values (16 bytes): bitmaps over the request's lines (bit i = i-th requested offset).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpioLineValuesNative
{
    public ulong Bits;
    public ulong Mask;
}

/// <summary>struct gpio_v2_line_event (48 bytes), read from a line request's file descriptor.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GpioLineEventNative
{
    public ulong TimestampNs;
    public uint Id;
    public uint Offset;
    public uint SequenceNumber;
    public uint LineSequenceNumber;
    public fixed uint Padding[6];
}
