namespace Appliance.Telemetry.Sensors;

/// <summary>
/// Reads the system sensors from a root directory holding <c>proc/</c> and <c>sys/</c> ("/" on a real machine, a
/// fixture tree in tests): process RSS and CPU, available memory and load, thermal zones, and on a Jetson the GPU
/// and the INA3221 power rails. Which sensors exist is found once, here; <see cref="Sample"/> then reads only
/// their values. Not thread-safe: one caller samples at a time.
/// </summary>
public sealed class SystemSensors
{
    private readonly ProcessSensor _process;
    private readonly HostSensor _host;
    private readonly ThermalSensor _thermal;
    private readonly JetsonSensor _jetson;

    /// <param name="root">The directory holding proc/ and sys/ ("/" on the machine itself).</param>
    /// <param name="timeProvider">Measures the time between samples for the CPU percentage.</param>
    public SystemSensors(string root = "/", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var procRoot = Path.Combine(root, "proc");
        if (!Directory.Exists(procRoot))
        {
            throw new DirectoryNotFoundException($"Sensor root {root} has no proc directory ({procRoot}).");
        }

        var sysRoot = Path.Combine(root, "sys");
        Root = root;
        _process = new ProcessSensor(procRoot, timeProvider ?? TimeProvider.System);
        _host = new HostSensor(procRoot);
        _thermal = new ThermalSensor(sysRoot);
        _jetson = new JetsonSensor(sysRoot);
    }

    public string Root { get; }

    /// <summary>How many thermal zones were found.</summary>
    public int ThermalZoneCount => _thermal.ZoneCount;

    /// <summary>Whether a Jetson GPU or INA3221 power monitor was found.</summary>
    public bool HasJetsonSensors => _jetson.IsPresent;

    /// <summary>Reads every sensor. Throws <see cref="InvalidDataException"/> (naming the file) on content the kernel would not write.</summary>
    public SystemSample Sample() => new(_process.Read(), _host.Read(), _thermal.Read(), _jetson.Read());
}
