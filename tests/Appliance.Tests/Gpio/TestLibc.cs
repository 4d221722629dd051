using System.Runtime.InteropServices;

namespace Appliance.Tests.Gpio;

/// <summary>libc calls only tests need: a pipe to stand in for a line request's event stream, and the monotonic clock.</summary>
internal static unsafe partial class TestLibc
{
    public const int ClockMonotonic = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGetTime(int clock, TimeSpec* time);
}
