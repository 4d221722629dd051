namespace Appliance.Gpio;

/// <summary>
/// Builds ioctl request numbers the way include/uapi/asm-generic/ioctl.h's _IOR/_IOWR do: direction in bits 30-31,
/// argument size in bits 16-29, type in bits 8-15, number in bits 0-7. x86-64, arm64, 32-bit arm and riscv all use this
/// layout (mips, powerpc and sparc do not; the appliance does not target them).
/// </summary>
internal static class IoctlRequest
{
    private const uint DirectionWrite = 1;
    private const uint DirectionRead = 2;
    private const int SizeBits = 14;

    /// <summary>_IOR: the kernel writes the argument back to user space.</summary>
    public static uint ForRead(byte type, byte number, int argumentSize) => Encode(DirectionRead, type, number, argumentSize);

    /// <summary>_IOWR: the argument goes in and comes back.</summary>
    public static uint ForReadWrite(byte type, byte number, int argumentSize) =>
        Encode(DirectionRead | DirectionWrite, type, number, argumentSize);

    private static uint Encode(uint direction, byte type, byte number, int argumentSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(argumentSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(argumentSize, 1 << SizeBits);
        return (direction << 30) | ((uint)argumentSize << 16) | ((uint)type << 8) | number;
    }
}
