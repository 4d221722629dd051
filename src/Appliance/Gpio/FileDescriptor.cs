using System.Runtime.InteropServices;

namespace Appliance.Gpio;

/// <summary>An owned Linux file descriptor, closed exactly once, and never while a native call is using it.</summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    /// <summary>The raw number, for calls (poll) that take descriptors inside a struct; hold a reference meanwhile.</summary>
    public int Number => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
