namespace Appliance.Telemetry.Sensors;

/// <summary>
/// A Jetson's integrated GPU (load in per-mille from the GPU device's <c>load</c> file, clock from its devfreq
/// <c>cur_freq</c>) and the INA3221 power monitor's rails (hwmon: <c>in*_label</c>, <c>in*_input</c> in mV,
/// <c>curr*_input</c> in mA). Found once; absent on other machines, where <see cref="IsPresent"/> is false.
/// </summary>
internal sealed class JetsonSensor
{
    /// <summary>The GPU's devfreq names across Jetson generations (Nano gm20b ... Orin ga10b), or "*.gpu".</summary>
    private static readonly string[] GpuDevfreqMarkers = ["gpu", "gm20b", "gp10b", "gv11b", "ga10b"];

    private readonly string? _gpuLoadPath;
    private readonly string? _gpuFrequencyPath;
    private readonly Rail[] _rails;

    public JetsonSensor(string sysRoot)
    {
        var devfreq = FindGpuDevfreq(sysRoot);
        _gpuFrequencyPath = devfreq is null ? null : Path.Combine(devfreq, "cur_freq");
        string?[] loadCandidates =
        [
            Path.Combine(sysRoot, "devices", "gpu.0", "load"),
            Path.Combine(sysRoot, "devices", "platform", "gpu.0", "load"),
            devfreq is null ? null : Path.Combine(devfreq, "device", "load"),
        ];
        _gpuLoadPath = loadCandidates.FirstOrDefault(File.Exists);
        _rails = FindRails(sysRoot);
    }

    public bool IsPresent => _gpuLoadPath is not null || _gpuFrequencyPath is not null || _rails.Length > 0;

    public JetsonSample? Read()
    {
        if (!IsPresent)
        {
            return null;
        }

        double? load = _gpuLoadPath is null ? null : SensorFile.ReadInteger(_gpuLoadPath) / 10.0;
        var frequency = _gpuFrequencyPath is null ? null : SensorFile.ReadInteger(_gpuFrequencyPath);
        var rails = new List<PowerRailReading>(_rails.Length);
        foreach (var rail in _rails)
        {
            if (SensorFile.ReadInteger(rail.MillivoltsPath) is { } millivolts && SensorFile.ReadInteger(rail.MilliampsPath) is { } milliamps)
            {
                rails.Add(new PowerRailReading(rail.Name, millivolts / 1000.0, milliamps / 1000.0));
            }
        }

        return new JetsonSample(load, frequency, rails);
    }

    private static string? FindGpuDevfreq(string sysRoot)
    {
        var devfreq = Path.Combine(sysRoot, "class", "devfreq");
        if (!Directory.Exists(devfreq))
        {
            return null;
        }

        return Directory.EnumerateFileSystemEntries(devfreq)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(entry => GpuDevfreqMarkers.Any(marker => Path.GetFileName(entry).Contains(marker, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>/sys/bus/i2c/drivers/ina3221*/&lt;bus-address&gt;/hwmon/hwmon*/in&lt;N&gt;_label with in&lt;N&gt;_input and curr&lt;N&gt;_input.</summary>
    private static Rail[] FindRails(string sysRoot)
    {
        var drivers = Path.Combine(sysRoot, "bus", "i2c", "drivers");
        if (!Directory.Exists(drivers))
        {
            return [];
        }

        var rails = new List<Rail>();
        foreach (var driver in Directory.EnumerateDirectories(drivers, "ina3221*").Order(StringComparer.Ordinal))
        {
            // Device entries are named bus-address ("1-0040"); the driver directory also holds bind/unbind/uevent.
            foreach (var device in Directory.EnumerateFileSystemEntries(driver, "*-*").Order(StringComparer.Ordinal))
            {
                var hwmonRoot = Path.Combine(device, "hwmon");
                if (!Directory.Exists(hwmonRoot))
                {
                    continue;
                }

                foreach (var hwmon in Directory.EnumerateFileSystemEntries(hwmonRoot, "hwmon*").Order(StringComparer.Ordinal))
                {
                    foreach (var label in Directory.EnumerateFiles(hwmon, "in*_label").Order(StringComparer.Ordinal))
                    {
                        var channel = Path.GetFileName(label)["in".Length..^"_label".Length];
                        var millivolts = Path.Combine(hwmon, $"in{channel}_input");
                        var milliamps = Path.Combine(hwmon, $"curr{channel}_input");
                        if (SensorFile.ReadText(label) is { Length: > 0 } name && File.Exists(millivolts) && File.Exists(milliamps))
                        {
                            rails.Add(new Rail(name, millivolts, milliamps));
                        }
                    }
                }
            }
        }

        return [.. rails];
    }

    private sealed record Rail(string Name, string MillivoltsPath, string MilliampsPath);
}
