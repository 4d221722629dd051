namespace Appliance.Telemetry.Sensors;

/// <summary>
/// This process's resident memory (<c>/proc/self/statm</c>) and CPU use (<c>/proc/self/stat</c>: user + system
/// time). CPU percent is measured between two samples; the first sample reports the average since the process
/// started (<c>/proc/uptime</c> against the start time), so no reading is ever missing.
/// </summary>
internal sealed class ProcessSensor(string procRoot, TimeProvider timeProvider)
{
    /// <summary>USER_HZ, the unit of procfs's times: fixed at 100 by the kernel's ABI on every architecture.</summary>
    private const double ClockTicksPerSecond = 100;

    // Fields after the ")" closing the command name: [0] is field 3 (state), so utime (14) is [11].
    private const int UserTimeField = 11;
    private const int SystemTimeField = 12;
    private const int StartTimeField = 19;

    private readonly string _statPath = Path.Combine(procRoot, "self", "stat");
    private readonly string _statmPath = Path.Combine(procRoot, "self", "statm");
    private readonly string _uptimePath = Path.Combine(procRoot, "uptime");
    private long _lastCpuTicks = -1;
    private long _lastTimestamp;

    public ProcessSample Read() => new(ReadResidentBytes(), ReadCpuPercent());

    private long? ReadResidentBytes()
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = SensorFile.Read(_statmPath, buffer);
        return length < 0 ? null : SensorFile.ParseInteger(SensorFile.Field(buffer[..length], 1), _statmPath, "resident pages") * Environment.SystemPageSize;
    }

    private double? ReadCpuPercent()
    {
        Span<byte> buffer = stackalloc byte[1024];
        var length = SensorFile.Read(_statPath, buffer);
        if (length < 0)
        {
            return null;
        }

        var text = buffer[..length];
        var nameEnd = text.LastIndexOf((byte)')');
        if (nameEnd < 0)
        {
            throw new InvalidDataException($"{_statPath}: no \")\" closing the command name.");
        }

        var fields = text[(nameEnd + 1)..];
        var ticks = SensorFile.ParseInteger(SensorFile.Field(fields, UserTimeField), _statPath, "utime")
            + SensorFile.ParseInteger(SensorFile.Field(fields, SystemTimeField), _statPath, "stime");
        var now = timeProvider.GetTimestamp();
        var previous = _lastCpuTicks;
        var previousTimestamp = _lastTimestamp;
        _lastCpuTicks = ticks;
        _lastTimestamp = now;

        if (previous < 0)
        {
            var startTicks = SensorFile.ParseInteger(SensorFile.Field(fields, StartTimeField), _statPath, "starttime");
            var uptime = ReadUptimeSeconds();
            var lifetime = uptime - (startTicks / ClockTicksPerSecond);
            return uptime is null || lifetime <= 0 ? null : ticks / ClockTicksPerSecond / lifetime * 100;
        }

        var elapsed = timeProvider.GetElapsedTime(previousTimestamp, now).TotalSeconds;
        return elapsed <= 0 ? null : (ticks - previous) / ClockTicksPerSecond / elapsed * 100;
    }

    private double? ReadUptimeSeconds()
    {
        Span<byte> buffer = stackalloc byte[128];
        var length = SensorFile.Read(_uptimePath, buffer);
        return length < 0 ? null : SensorFile.ParseDecimal(SensorFile.Field(buffer[..length], 0), _uptimePath, "uptime");
    }
}
