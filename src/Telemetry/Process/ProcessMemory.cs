using System.Globalization;

namespace Appliance.Telemetry.Process;

/// <summary>
/// Reads this process's resident memory from procfs (<c>/proc/self/status</c>): VmRSS now and VmHWM, the peak
/// since the process started. The procfs root is configurable so tests can point it at a fixture.
/// </summary>
public sealed class ProcessMemory
{
    private const string ResidentField = "VmRSS:";
    private const string PeakResidentField = "VmHWM:";
    private readonly string _statusPath;

    public ProcessMemory(string procRoot = "/proc")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procRoot);
        _statusPath = Path.Combine(procRoot, "self", "status");
    }

    public ProcessMemorySnapshot Read()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(_statusPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{_statusPath}: cannot read process memory ({ex.Message}).", ex);
        }

        return new ProcessMemorySnapshot(Field(lines, ResidentField), Field(lines, PeakResidentField));
    }

    /// <summary>Parses "VmHWM:     123456 kB" into bytes.</summary>
    private long Field(string[] lines, string name)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{_statusPath}: no {name} line.");
        var parts = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts is not [var number, "kB"] || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kibibytes))
        {
            throw new InvalidOperationException($"{_statusPath}: cannot parse \"{line}\" (expected \"{name} <number> kB\").");
        }

        return kibibytes * 1024;
    }
}
