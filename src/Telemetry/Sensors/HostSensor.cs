namespace Appliance.Telemetry.Sensors;

/// <summary>The machine's available and total memory (<c>/proc/meminfo</c>) and 1-minute load (<c>/proc/loadavg</c>).</summary>
internal sealed class HostSensor(string procRoot)
{
    private readonly string _meminfoPath = Path.Combine(procRoot, "meminfo");
    private readonly string _loadavgPath = Path.Combine(procRoot, "loadavg");

    public HostSample Read()
    {
        Span<byte> buffer = stackalloc byte[8192];
        var length = SensorFile.Read(_meminfoPath, buffer);
        var meminfo = length < 0 ? [] : buffer[..length];
        var available = length < 0 ? null : SensorFile.KilobyteField(meminfo, "MemAvailable"u8, _meminfoPath);
        var total = length < 0 ? null : SensorFile.KilobyteField(meminfo, "MemTotal"u8, _meminfoPath);

        length = SensorFile.Read(_loadavgPath, buffer);
        double? load = length < 0 ? null : SensorFile.ParseDecimal(SensorFile.Field(buffer[..length], 0), _loadavgPath, "the 1-minute load");
        return new HostSample(available, total, load);
    }
}
