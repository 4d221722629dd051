using System.Runtime.InteropServices;

namespace Appliance.Gpio;

/// <summary>
/// The few libc calls the GPIO character device needs, bound by the LibraryImport source generator (AOT clean).
/// ioctl and open are variadic in C; on Linux x86-64 and arm64 a fixed third argument is passed the same way.
/// Flag and errno values are those of asm-generic, shared by x86-64 and arm64.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int OpenReadWrite = 0x2;
    public const int OpenCloseOnExec = 0x80000;
    public const int EventFdCloseOnExec = 0x80000;
    public const int EventFdNonBlocking = 0x800;

    public const short PollIn = 0x1;
    public const short PollError = 0x8;
    public const short PollHangUp = 0x10;
    public const short PollInvalid = 0x20;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(FileDescriptor fd, nuint request, void* argument);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(FileDescriptor fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(FileDescriptor fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);
}
