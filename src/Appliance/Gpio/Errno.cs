using System.Runtime.InteropServices;

namespace Appliance.Gpio;

/// <summary>Linux errno values the GPIO driver reacts to, and a readable description of any errno.</summary>
public static class Errno
{
    public const int NoPermission = 1;        // EPERM
    public const int NoSuchFile = 2;          // ENOENT
    public const int Interrupted = 4;         // EINTR
    public const int IOError = 5;             // EIO
    public const int NoSuchDeviceOrAddress = 6; // ENXIO
    public const int TryAgain = 11;           // EAGAIN
    public const int AccessDenied = 13;       // EACCES
    public const int Busy = 16;               // EBUSY
    public const int NoSuchDevice = 19;       // ENODEV
    public const int InvalidArgument = 22;    // EINVAL
    public const int NotATypewriter = 25;     // ENOTTY: the file does not understand this ioctl
    public const int NotSupported = 95;       // EOPNOTSUPP
    public const int KernelNotSupported = 524; // ENOTSUPP, kernel-internal but seen from some drivers

    /// <summary>"Device or resource busy (EBUSY)": strerror's text and the symbolic name, when it is a common one.</summary>
    public static string Describe(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return Name(errno) is { } name ? $"{text} ({name})" : $"{text} (errno {errno})";
    }

    private static string? Name(int errno) => errno switch
    {
        NoPermission => "EPERM",
        NoSuchFile => "ENOENT",
        Interrupted => "EINTR",
        IOError => "EIO",
        NoSuchDeviceOrAddress => "ENXIO",
        TryAgain => "EAGAIN",
        AccessDenied => "EACCES",
        Busy => "EBUSY",
        NoSuchDevice => "ENODEV",
        InvalidArgument => "EINVAL",
        NotATypewriter => "ENOTTY",
        NotSupported => "EOPNOTSUPP",
        KernelNotSupported => "ENOTSUPP",
        _ => null,
    };
}
