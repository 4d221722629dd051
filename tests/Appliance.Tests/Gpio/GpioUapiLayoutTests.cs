using System.Runtime.CompilerServices;
using Appliance.Gpio;

namespace Appliance.Tests.Gpio;

/// <summary>
/// The structs must match include/uapi/linux/gpio.h byte for byte. Expected sizes and offsets are worked out from the
/// header: GPIO_MAX_NAME_SIZE = 32, GPIO_V2_LINES_MAX = 64, GPIO_V2_LINE_NUM_ATTRS_MAX = 10, __aligned_u64 on 8 bytes.
/// </summary>
public sealed unsafe class GpioUapiLayoutTests
{
    [Fact]
    public void Struct_sizes_match_the_header()
    {
        Assert.Equal(32 + 32 + 4, Unsafe.SizeOf<GpioChipInfoNative>());
        Assert.Equal(4 + 4 + 8, Unsafe.SizeOf<GpioLineAttributeNative>());
        Assert.Equal(16 + 8, Unsafe.SizeOf<GpioLineConfigAttributeNative>());
        Assert.Equal(8 + 4 + (5 * 4) + (10 * 24), Unsafe.SizeOf<GpioLineConfigNative>());
        Assert.Equal((64 * 4) + 32 + 272 + 4 + 4 + (5 * 4) + 4, Unsafe.SizeOf<GpioLineRequestNative>());
        Assert.Equal(32 + 32 + 4 + 4 + 8 + (10 * 16) + (4 * 4), Unsafe.SizeOf<GpioLineInfoNative>());
        Assert.Equal(16, Unsafe.SizeOf<GpioLineValuesNative>());
        Assert.Equal(8 + (4 * 4) + (6 * 4), Unsafe.SizeOf<GpioLineEventNative>());
        Assert.Equal(592, Unsafe.SizeOf<GpioLineRequestNative>());
        Assert.Equal(256, Unsafe.SizeOf<GpioLineInfoNative>());
        Assert.Equal(8, Unsafe.SizeOf<Libc.PollDescriptor>());
    }

    [Fact]
    public void Chip_info_fields_sit_where_the_header_puts_them()
    {
        GpioChipInfoNative s = default;
        var start = (byte*)&s;
        Assert.Equal(0, s.Name - start);
        Assert.Equal(32, s.Label - start);
        Assert.Equal(64, (byte*)&s.Lines - start);
    }

    [Fact]
    public void Line_attribute_union_members_share_offset_8()
    {
        GpioLineAttributeNative s = default;
        var start = (byte*)&s;
        Assert.Equal(0, (byte*)&s.Id - start);
        Assert.Equal(4, (byte*)&s.Padding - start);
        Assert.Equal(8, (byte*)&s.Flags - start);
        Assert.Equal(8, (byte*)&s.Values - start);
        Assert.Equal(8, (byte*)&s.DebouncePeriodMicroseconds - start);

        s.Values = 0x1_0000_0002;
        Assert.Equal(2u, s.DebouncePeriodMicroseconds);
    }

    [Fact]
    public void Line_config_and_its_attributes_sit_where_the_header_puts_them()
    {
        GpioLineConfigAttributeNative attribute = default;
        var attributeStart = (byte*)&attribute;
        Assert.Equal(0, (byte*)&attribute.Attribute - attributeStart);
        Assert.Equal(16, (byte*)&attribute.Mask - attributeStart);

        GpioLineConfigNative s = default;
        var start = (byte*)&s;
        Assert.Equal(0, (byte*)&s.Flags - start);
        Assert.Equal(8, (byte*)&s.AttributeCount - start);
        Assert.Equal(12, (byte*)s.Padding - start);
        Assert.Equal(32, (byte*)&s.Attributes - start);
        Assert.Equal(32 + (9 * 24), (byte*)Unsafe.AsPointer(ref s.Attributes[9]) - start);
    }

    [Fact]
    public void Line_request_fields_sit_where_the_header_puts_them()
    {
        GpioLineRequestNative s = default;
        var start = (byte*)&s;
        Assert.Equal(0, (byte*)s.Offsets - start);
        Assert.Equal(256, s.Consumer - start);
        Assert.Equal(288, (byte*)&s.Config - start);
        Assert.Equal(560, (byte*)&s.LineCount - start);
        Assert.Equal(564, (byte*)&s.EventBufferSize - start);
        Assert.Equal(568, (byte*)s.Padding - start);
        Assert.Equal(588, (byte*)&s.Fd - start);
    }

    [Fact]
    public void Line_info_fields_sit_where_the_header_puts_them()
    {
        GpioLineInfoNative s = default;
        var start = (byte*)&s;
        Assert.Equal(0, s.Name - start);
        Assert.Equal(32, s.Consumer - start);
        Assert.Equal(64, (byte*)&s.Offset - start);
        Assert.Equal(68, (byte*)&s.AttributeCount - start);
        Assert.Equal(72, (byte*)&s.Flags - start);
        Assert.Equal(80, (byte*)&s.Attributes - start);
        Assert.Equal(240, (byte*)s.Padding - start);
    }

    [Fact]
    public void Values_and_event_fields_sit_where_the_header_puts_them()
    {
        GpioLineValuesNative values = default;
        var valuesStart = (byte*)&values;
        Assert.Equal(0, (byte*)&values.Bits - valuesStart);
        Assert.Equal(8, (byte*)&values.Mask - valuesStart);

        GpioLineEventNative e = default;
        var start = (byte*)&e;
        Assert.Equal(0, (byte*)&e.TimestampNs - start);
        Assert.Equal(8, (byte*)&e.Id - start);
        Assert.Equal(12, (byte*)&e.Offset - start);
        Assert.Equal(16, (byte*)&e.SequenceNumber - start);
        Assert.Equal(20, (byte*)&e.LineSequenceNumber - start);
        Assert.Equal(24, (byte*)e.Padding - start);
    }

    [Fact]
    public void Flag_values_are_the_headers_bits()
    {
        Assert.Equal(1UL << 0, (ulong)GpioLineFlags.Used);
        Assert.Equal(1UL << 1, (ulong)GpioLineFlags.ActiveLow);
        Assert.Equal(1UL << 2, (ulong)GpioLineFlags.Input);
        Assert.Equal(1UL << 3, (ulong)GpioLineFlags.Output);
        Assert.Equal(1UL << 4, (ulong)GpioLineFlags.EdgeRising);
        Assert.Equal(1UL << 5, (ulong)GpioLineFlags.EdgeFalling);
        Assert.Equal(1UL << 6, (ulong)GpioLineFlags.OpenDrain);
        Assert.Equal(1UL << 7, (ulong)GpioLineFlags.OpenSource);
        Assert.Equal(1UL << 8, (ulong)GpioLineFlags.BiasPullUp);
        Assert.Equal(1UL << 9, (ulong)GpioLineFlags.BiasPullDown);
        Assert.Equal(1UL << 10, (ulong)GpioLineFlags.BiasDisabled);
    }

    /// <summary>_IOR/_IOWR(0xB4, nr, struct): dir &lt;&lt; 30 | size &lt;&lt; 16 | 0xB4 &lt;&lt; 8 | nr, with _IOC_READ = 2, _IOC_WRITE = 1.</summary>
    [Fact]
    public void Ioctl_numbers_follow_the_IOWR_encoding_of_the_header_structs()
    {
        static uint Encode(uint direction, uint number, int size) => (direction << 30) | ((uint)size << 16) | (0xB4u << 8) | number;

        Assert.Equal(Encode(2, 0x01, 68), GpioIoctls.GetChipInfo);
        Assert.Equal(Encode(3, 0x05, 256), GpioIoctls.GetLineInfo);
        Assert.Equal(Encode(3, 0x07, 592), GpioIoctls.GetLine);
        Assert.Equal(Encode(3, 0x0D, 272), GpioIoctls.SetConfig);
        Assert.Equal(Encode(3, 0x0E, 16), GpioIoctls.GetValues);
        Assert.Equal(Encode(3, 0x0F, 16), GpioIoctls.SetValues);

        // The values C compiles the header's macros to (e.g. GPIO_V2_GET_LINE_IOCTL = 0xc250b407).
        Assert.Equal(0x8044B401u, GpioIoctls.GetChipInfo);
        Assert.Equal(0xC100B405u, GpioIoctls.GetLineInfo);
        Assert.Equal(0xC250B407u, GpioIoctls.GetLine);
        Assert.Equal(0xC110B40Du, GpioIoctls.SetConfig);
        Assert.Equal(0xC010B40Eu, GpioIoctls.GetValues);
        Assert.Equal(0xC010B40Fu, GpioIoctls.SetValues);
    }

    [Fact]
    public void Ioctl_sizes_beyond_14_bits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlRequest.ForReadWrite(0xB4, 1, 1 << 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlRequest.ForRead(0xB4, 1, -1));
    }
}
