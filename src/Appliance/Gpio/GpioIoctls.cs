using System.Runtime.CompilerServices;

namespace Appliance.Gpio;

/// <summary>The GPIO character device requests the driver uses, encoded from the struct sizes they carry.</summary>
internal static class GpioIoctls
{
    /// <summary>GPIO_GET_CHIPINFO_IOCTL, on the chip's file descriptor.</summary>
    public static readonly uint GetChipInfo = IoctlRequest.ForRead(GpioUapi.IoctlMagic, 0x01, Unsafe.SizeOf<GpioChipInfoNative>());

    /// <summary>GPIO_V2_GET_LINEINFO_IOCTL, on the chip's file descriptor.</summary>
    public static readonly uint GetLineInfo = IoctlRequest.ForReadWrite(GpioUapi.IoctlMagic, 0x05, Unsafe.SizeOf<GpioLineInfoNative>());

    /// <summary>GPIO_V2_GET_LINE_IOCTL, on the chip's file descriptor; yields a line request file descriptor.</summary>
    public static readonly uint GetLine = IoctlRequest.ForReadWrite(GpioUapi.IoctlMagic, 0x07, Unsafe.SizeOf<GpioLineRequestNative>());

    /// <summary>GPIO_V2_LINE_SET_CONFIG_IOCTL, on a line request's file descriptor.</summary>
    public static readonly uint SetConfig = IoctlRequest.ForReadWrite(GpioUapi.IoctlMagic, 0x0D, Unsafe.SizeOf<GpioLineConfigNative>());

    /// <summary>GPIO_V2_LINE_GET_VALUES_IOCTL, on a line request's file descriptor.</summary>
    public static readonly uint GetValues = IoctlRequest.ForReadWrite(GpioUapi.IoctlMagic, 0x0E, Unsafe.SizeOf<GpioLineValuesNative>());

    /// <summary>GPIO_V2_LINE_SET_VALUES_IOCTL, on a line request's file descriptor.</summary>
    public static readonly uint SetValues = IoctlRequest.ForReadWrite(GpioUapi.IoctlMagic, 0x0F, Unsafe.SizeOf<GpioLineValuesNative>());
}
