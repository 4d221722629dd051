using Appliance.Gpio;

namespace Appliance.Tests.Gpio;

/// <summary>One logical value written to an output line, and when (on the test's clock).</summary>
internal readonly record struct FakeLineWrite(TimeSpan At, uint Offset, bool Value);

/// <summary>
/// A GPIO chip in memory behind <see cref="IGpioChip"/>: validates requests with the same encoder rules as the ioctl
/// driver, refuses busy lines (EBUSY) and, when told to, debounce periods (EINVAL); records every output write with
/// the clock's time; hands out <see cref="FakeGpioLineRequest"/>s whose edges tests script.
/// </summary>
internal sealed class FakeGpioChip(GpioChipInfo info, TimeProvider clock, Func<uint, string> lineName) : IGpioChip
{
    private readonly Lock _gate = new();
    private readonly List<FakeLineWrite> _writes = [];
    private readonly Dictionary<uint, bool> _levels = [];
    private readonly HashSet<uint> _heldElsewhere = [];
    private readonly List<FakeGpioLineRequest> _requests = [];

    public GpioChipInfo Info { get; } = info;

    public int OpenCount { get; set; }

    public int CloseCount { get; private set; }

    /// <summary>Requests with a debounce period fail with EINVAL, as on chips that refuse one.</summary>
    public bool RefusesDebounce { get; set; }

    public IReadOnlyList<FakeLineWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    public IReadOnlyList<FakeGpioLineRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public TimeSpan Now => clock.GetElapsedTime(0, clock.GetTimestamp());

    /// <summary>Marks a line as held by another consumer: requesting it fails with EBUSY.</summary>
    public void HoldElsewhere(uint offset) => _heldElsewhere.Add(offset);

    /// <summary>The level an input reads before any edge (logical).</summary>
    public void SetLevel(uint offset, bool active)
    {
        lock (_gate)
        {
            _levels[offset] = active;
        }
    }

    public bool Level(uint offset)
    {
        lock (_gate)
        {
            return _levels.GetValueOrDefault(offset);
        }
    }

    public void ClearWrites()
    {
        lock (_gate)
        {
            _writes.Clear();
        }
    }

    /// <summary>The live request holding <paramref name="offset"/>.</summary>
    public FakeGpioLineRequest RequestFor(uint offset) =>
        Requests.Single(request => !request.IsDisposed && request.Offsets.Contains(offset));

    public GpioLineInfo GetLineInfo(uint offset)
    {
        CheckOffset(offset);
        var holder = Requests.FirstOrDefault(request => !request.IsDisposed && request.Offsets.Contains(offset));
        var flags = holder is null && !_heldElsewhere.Contains(offset) ? GpioLineFlags.None : GpioLineFlags.Used;
        return new GpioLineInfo(offset, lineName(offset), holder?.Consumer ?? "", flags, TimeSpan.Zero);
    }

    public uint FindLine(string name)
    {
        for (uint offset = 0; offset < Info.LineCount; offset++)
        {
            if (lineName(offset) == name)
            {
                return offset;
            }
        }

        throw new GpioException($"{Info.Description} has no line named '{name}'");
    }

    public IGpioLineRequest RequestLines(string consumer, IReadOnlyList<GpioLineConfig> lines)
    {
        GpioLineConfigEncoder.CheckOffsets(lines);
        foreach (var line in lines)
        {
            CheckOffset(line.Offset);
            _ = GpioLineConfigEncoder.FlagsOf(line);
            if (_heldElsewhere.Contains(line.Offset) || Requests.Any(r => !r.IsDisposed && r.Offsets.Contains(line.Offset)))
            {
                throw GpioException.FromErrno(Info.Description, $"requesting line {line.Offset}", Errno.Busy, "the line is held by another consumer");
            }

            if (RefusesDebounce && line.Settings.DebouncePeriod > TimeSpan.Zero)
            {
                throw GpioException.FromErrno(Info.Description, $"requesting line {line.Offset}", Errno.InvalidArgument);
            }
        }

        var request = new FakeGpioLineRequest(this, consumer, lines);
        lock (_gate)
        {
            _requests.Add(request);
        }

        foreach (var line in lines.Where(line => line.Settings.Direction == GpioDirection.Output))
        {
            Write(line.Offset, line.Settings.OutputValue);
        }

        return request;
    }

    public void Dispose() => CloseCount++;

    internal void Write(uint offset, bool value)
    {
        lock (_gate)
        {
            _levels[offset] = value;
            _writes.Add(new FakeLineWrite(Now, offset, value));
        }
    }

    private void CheckOffset(uint offset)
    {
        if (offset >= Info.LineCount)
        {
            throw new GpioException($"{Info.Description} has {Info.LineCount} lines; there is no line {offset}");
        }
    }
}
