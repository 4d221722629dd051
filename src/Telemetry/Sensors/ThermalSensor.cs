using System.Globalization;

namespace Appliance.Telemetry.Sensors;

/// <summary>
/// Every thermal zone under <c>/sys/class/thermal</c>: found once (zones do not come and go), then each sample
/// reads the zones' <c>temp</c> (millidegrees Celsius). A zone whose temp cannot be read right now (a Jetson's GPU
/// zone while the GPU sleeps) is left out of that sample.
/// </summary>
internal sealed class ThermalSensor
{
    private const string ZonePrefix = "thermal_zone";
    private readonly (string Name, string TempPath)[] _zones;

    public ThermalSensor(string sysRoot)
    {
        var thermal = Path.Combine(sysRoot, "class", "thermal");
        var zones = new List<(int Number, string Type, string TempPath)>();
        if (Directory.Exists(thermal))
        {
            foreach (var directory in Directory.EnumerateFileSystemEntries(thermal, ZonePrefix + "*"))
            {
                var suffix = Path.GetFileName(directory)[ZonePrefix.Length..];
                if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    && SensorFile.ReadText(Path.Combine(directory, "type")) is { Length: > 0 } type)
                {
                    zones.Add((number, type, Path.Combine(directory, "temp")));
                }
            }
        }

        zones.Sort((a, b) => a.Number.CompareTo(b.Number));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Several zones may share a type (x86's acpitz): the later ones are told apart by their zone number.
        _zones = [.. zones.Select(zone => (seen.Add(zone.Type) ? zone.Type : $"{zone.Type}_{zone.Number}", zone.TempPath))];
    }

    public int ZoneCount => _zones.Length;

    public IReadOnlyList<ThermalReading> Read()
    {
        var readings = new List<ThermalReading>(_zones.Length);
        foreach (var (name, tempPath) in _zones)
        {
            if (SensorFile.ReadInteger(tempPath) is { } millidegrees)
            {
                readings.Add(new ThermalReading(name, millidegrees / 1000.0));
            }
        }

        return readings;
    }
}
