using System.Runtime.InteropServices;

namespace Appliance.Gpio;

/// <summary>A GPIO chip opened through its character device (/dev/gpiochipN), spoken to with the ABI v2 ioctls.</summary>
public sealed unsafe class GpioCharDevChip : IGpioChip
{
    private readonly FileDescriptor _fd;

    private GpioCharDevChip(FileDescriptor fd, GpioChipInfo info)
    {
        _fd = fd;
        Info = info;
    }

    public GpioChipInfo Info { get; }

    /// <summary>Opens <paramref name="path"/> and reads its chip info; throws <see cref="GpioException"/> naming the path.</summary>
    public static GpioCharDevChip Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var number = Libc.Open(path, Libc.OpenReadWrite | Libc.OpenCloseOnExec);
        if (number < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw GpioException.FromErrno($"GPIO chip {path}", "open", errno, OpenHint(errno));
        }

        var fd = new FileDescriptor(number);
        try
        {
            GpioChipInfoNative native;
            if (Libc.Ioctl(fd, GpioIoctls.GetChipInfo, &native) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw GpioException.FromErrno(
                    $"GPIO chip {path}", "reading chip info", errno,
                    errno == Errno.NotATypewriter ? "this file is not a GPIO character device" : null);
            }

            var info = new GpioChipInfo(
                path, NativeText.Read(native.Name, GpioUapi.MaxNameSize), NativeText.Read(native.Label, GpioUapi.MaxNameSize), native.Lines);
            return new GpioCharDevChip(fd, info);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public GpioLineInfo GetLineInfo(uint offset)
    {
        CheckOffset(offset);
        GpioLineInfoNative native = default;
        native.Offset = offset;
        Invoke(GpioIoctls.GetLineInfo, &native, $"reading line {offset}'s info");
        var debounce = TimeSpan.Zero;
        for (var i = 0; i < Math.Min(native.AttributeCount, GpioUapi.LineAttributesMax); i++)
        {
            if (native.Attributes[i].Id == GpioUapi.AttributeDebounce)
            {
                debounce = TimeSpan.FromMicroseconds(native.Attributes[i].DebouncePeriodMicroseconds);
            }
        }

        return new GpioLineInfo(
            native.Offset,
            NativeText.Read(native.Name, GpioUapi.MaxNameSize),
            NativeText.Read(native.Consumer, GpioUapi.MaxNameSize),
            (GpioLineFlags)native.Flags,
            debounce);
    }

    public uint FindLine(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        for (uint offset = 0; offset < Info.LineCount; offset++)
        {
            if (string.Equals(GetLineInfo(offset).Name, name, StringComparison.Ordinal))
            {
                return offset;
            }
        }

        throw new GpioException($"{Info.Description} has no line named '{name}' (gpioinfo lists the names of its {Info.LineCount} lines)");
    }

    public IGpioLineRequest RequestLines(string consumer, IReadOnlyList<GpioLineConfig> lines)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        GpioLineConfigEncoder.CheckOffsets(lines);
        foreach (var line in lines)
        {
            CheckOffset(line.Offset);
        }

        GpioLineRequestNative request = default;
        NativeText.Write(consumer, request.Consumer, GpioUapi.MaxNameSize, "consumer label");
        for (var i = 0; i < lines.Count; i++)
        {
            request.Offsets[i] = lines[i].Offset;
        }

        request.LineCount = (uint)lines.Count;
        GpioLineConfigEncoder.Encode(lines, ref request.Config);
        var offsets = lines.Select(line => line.Offset).ToArray();
        var what = $"requesting line{(offsets.Length == 1 ? "" : "s")} {string.Join(", ", offsets)}";
        if (Libc.Ioctl(_fd, GpioIoctls.GetLine, &request) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw GpioException.FromErrno(Info.Description, what, errno, RequestHint(errno));
        }

        return new GpioCharDevLineRequest(new FileDescriptor(request.Fd), $"{Info.Description} line{(offsets.Length == 1 ? "" : "s")} {string.Join(", ", offsets)}", offsets);
    }

    public void Dispose() => _fd.Dispose();

    private void Invoke(uint request, void* argument, string what)
    {
        if (Libc.Ioctl(_fd, request, argument) < 0)
        {
            throw GpioException.FromErrno(Info.Description, what, Marshal.GetLastPInvokeError());
        }
    }

    private void CheckOffset(uint offset)
    {
        if (offset >= Info.LineCount)
        {
            throw new GpioException($"{Info.Description} has {Info.LineCount} lines; there is no line {offset}");
        }
    }

    private static string? OpenHint(int errno) => errno switch
    {
        Errno.NoSuchFile => "no such chip (ls /dev/gpiochip* lists the chips; gpiodetect shows their labels)",
        Errno.AccessDenied or Errno.NoPermission => "permission denied: run as a member of the group owning /dev/gpiochip* (often 'gpio') or add a udev rule",
        _ => null,
    };

    private static string? RequestHint(int errno) => errno switch
    {
        Errno.Busy => "the line is held by another consumer (gpioinfo shows which) or claimed by a kernel driver",
        Errno.InvalidArgument => "the chip refused this configuration (an unsupported bias, drive or edge setting, or a line that cannot be a GPIO)",
        Errno.NotSupported or Errno.KernelNotSupported => "the chip does not support part of this configuration",
        _ => null,
    };
}
