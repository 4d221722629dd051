using System.Runtime.InteropServices;

namespace Appliance.Gpio;

/// <summary>
/// Lines requested through GPIO_V2_GET_LINE_IOCTL: values and configuration by ioctl on the request's file descriptor,
/// edge events by read() on it. A blocked <see cref="ReadEdgeEvents"/> waits in poll() on the request and on an eventfd
/// that cancellation and disposal signal, so it wakes at once without polling on a timer.
/// </summary>
internal sealed unsafe class GpioCharDevLineRequest : IGpioLineRequest
{
    private const int EventsPerRead = 16;

    private readonly FileDescriptor _fd;
    private readonly FileDescriptor _wake;
    private readonly string _subject;
    private readonly uint[] _offsets;
    private volatile bool _disposed;

    /// <param name="fd">The line request's file descriptor (owned from here on).</param>
    /// <param name="subject">Names the chip and lines in messages.</param>
    public GpioCharDevLineRequest(FileDescriptor fd, string subject, uint[] offsets)
    {
        _fd = fd;
        _subject = subject;
        _offsets = offsets;
        var wake = Libc.EventFd(0, Libc.EventFdCloseOnExec | Libc.EventFdNonBlocking);
        if (wake < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw GpioException.FromErrno(subject, "creating the wake-up eventfd", errno);
        }

        _wake = new FileDescriptor(wake);
    }

    public IReadOnlyList<uint> Offsets => _offsets;

    public bool GetValue(uint offset)
    {
        var index = IndexOf(offset);
        var values = new GpioLineValuesNative { Mask = 1UL << index };
        Invoke(GpioIoctls.GetValues, &values, $"reading line {offset}");
        return ((values.Bits >> index) & 1) != 0;
    }

    public void SetValue(uint offset, bool active)
    {
        var index = IndexOf(offset);
        var values = new GpioLineValuesNative { Mask = 1UL << index, Bits = active ? 1UL << index : 0 };
        Invoke(GpioIoctls.SetValues, &values, $"setting line {offset} {(active ? "active" : "inactive")}");
    }

    public void Reconfigure(IReadOnlyList<GpioLineConfig> lines)
    {
        GpioLineConfigEncoder.CheckOffsets(lines);
        if (lines.Count != _offsets.Length || lines.Any(line => Array.IndexOf(_offsets, line.Offset) < 0))
        {
            throw new ArgumentException(
                $"Reconfigure takes the requested lines ({string.Join(", ", _offsets)}), got {string.Join(", ", lines.Select(l => l.Offset))}.",
                nameof(lines));
        }

        // The kernel's masks index the lines in request order.
        var ordered = _offsets.Select(offset => lines.First(line => line.Offset == offset)).ToArray();
        GpioLineConfigNative config = default;
        GpioLineConfigEncoder.Encode(ordered, ref config);
        Invoke(GpioIoctls.SetConfig, &config, "reconfiguring");
    }

    public int ReadEdgeEvents(Span<GpioEdgeEvent> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("The destination holds no events.", nameof(destination));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var registration = cancellationToken.UnsafeRegister(static state => ((GpioCharDevLineRequest)state!).Wake(), this);
        var fdAdded = false;
        var wakeAdded = false;
        try
        {
            // Held references keep both descriptors open (not reused) while poll() and read() use their numbers.
            _fd.DangerousAddRef(ref fdAdded);
            _wake.DangerousAddRef(ref wakeAdded);
            while (true)
            {
                var ready = WaitReadable();
                ObjectDisposedException.ThrowIf(_disposed, this);
                cancellationToken.ThrowIfCancellationRequested();
                if (ready)
                {
                    return ReadEvents(destination);
                }
            }
        }
        finally
        {
            if (wakeAdded)
            {
                _wake.DangerousRelease();
            }

            if (fdAdded)
            {
                _fd.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Wake();
        _wake.Dispose();
        _fd.Dispose();
    }

    /// <summary>Waits for events or a wake-up; true when events are ready.</summary>
    private bool WaitReadable()
    {
        var descriptors = stackalloc Libc.PollDescriptor[2];
        descriptors[0] = new Libc.PollDescriptor { Fd = _fd.Number, Events = Libc.PollIn };
        descriptors[1] = new Libc.PollDescriptor { Fd = _wake.Number, Events = Libc.PollIn };
        if (Libc.Poll(descriptors, 2, -1) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Errno.Interrupted ? false : throw GpioException.FromErrno(_subject, "waiting for edge events", errno);
        }

        if ((descriptors[1].ReturnedEvents & Libc.PollIn) != 0)
        {
            ulong count;
            _ = Libc.Read(_wake, &count, sizeof(ulong));
        }

        var returned = descriptors[0].ReturnedEvents;
        if ((returned & (Libc.PollError | Libc.PollHangUp | Libc.PollInvalid)) != 0 && (returned & Libc.PollIn) == 0)
        {
            throw new GpioException($"{_subject}: the event stream failed (poll returned 0x{returned:x}): the device may have gone");
        }

        return (returned & Libc.PollIn) != 0;
    }

    private int ReadEvents(Span<GpioEdgeEvent> destination)
    {
        var wanted = Math.Min(destination.Length, EventsPerRead);
        var buffer = stackalloc GpioLineEventNative[EventsPerRead];
        nint bytes;
        do
        {
            bytes = Libc.Read(_fd, buffer, (nuint)(wanted * sizeof(GpioLineEventNative)));
        }
        while (bytes < 0 && Marshal.GetLastPInvokeError() == Errno.Interrupted);

        if (bytes < 0)
        {
            throw GpioException.FromErrno(_subject, "reading edge events", Marshal.GetLastPInvokeError());
        }

        if (bytes == 0 || bytes % sizeof(GpioLineEventNative) != 0)
        {
            throw new GpioException(
                $"{_subject}: reading edge events returned {bytes} bytes, not a whole number of {sizeof(GpioLineEventNative)}-byte events" +
                (bytes == 0 ? " (end of stream: is this a GPIO line request?)" : ""));
        }

        var count = (int)(bytes / sizeof(GpioLineEventNative));
        for (var i = 0; i < count; i++)
        {
            destination[i] = Decode(buffer[i]);
        }

        return count;
    }

    private GpioEdgeEvent Decode(GpioLineEventNative native) => new(
        native.TimestampNs,
        native.Id switch
        {
            GpioUapi.EventRisingEdge => GpioEdgeKind.Rising,
            GpioUapi.EventFallingEdge => GpioEdgeKind.Falling,
            _ => throw new GpioException($"{_subject}: edge event with unknown id {native.Id} on line {native.Offset}"),
        },
        native.Offset,
        native.SequenceNumber,
        native.LineSequenceNumber);

    private void Wake()
    {
        var added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
            ulong one = 1;
            _ = Libc.Write(_wake, &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nobody is waiting on it.
        }
        finally
        {
            if (added)
            {
                _wake.DangerousRelease();
            }
        }
    }

    private int IndexOf(uint offset)
    {
        var index = Array.IndexOf(_offsets, offset);
        return index >= 0 ? index : throw new ArgumentException($"{_subject}: line {offset} is not part of this request.", nameof(offset));
    }

    private void Invoke(uint request, void* argument, string what)
    {
        if (Libc.Ioctl(_fd, request, argument) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw GpioException.FromErrno(
                _subject, what, errno, errno == Errno.NotATypewriter ? "this file is not a GPIO line request" : null);
        }
    }
}
