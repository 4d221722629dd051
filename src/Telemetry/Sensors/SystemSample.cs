namespace Appliance.Telemetry.Sensors;

/// <summary>One reading of every system sensor. A value the machine does not offer is null (or an empty list).</summary>
/// <param name="Jetson">GPU load and power rails; null on a machine that has neither.</param>
public sealed record SystemSample(ProcessSample Process, HostSample Host, IReadOnlyList<ThermalReading> Thermal, JetsonSample? Jetson)
{
    /// <summary>The hottest thermal zone, or null when there are none.</summary>
    public double? MaxTemperatureCelsius => Thermal.Count == 0 ? null : Thermal.Max(zone => zone.Celsius);
}

/// <summary>This process.</summary>
/// <param name="ResidentBytes">Resident memory (RSS).</param>
/// <param name="CpuPercent">CPU time used per wall time since the previous sample (since the process started, on the first), in percent of one core.</param>
public readonly record struct ProcessSample(long? ResidentBytes, double? CpuPercent);

/// <summary>The machine.</summary>
/// <param name="CpuLoad1m">The 1-minute load average.</param>
public readonly record struct HostSample(long? MemoryAvailableBytes, long? MemoryTotalBytes, double? CpuLoad1m);

/// <summary>A thermal zone, named by its type ("cpu-thermal", "GPU-therm"; "acpitz_1" for a second zone of a type).</summary>
public sealed record ThermalReading(string Zone, double Celsius);

/// <summary>What a Jetson adds: the integrated GPU's load and clock, and the INA3221 power monitor's rails.</summary>
public sealed record JetsonSample(double? GpuLoadPercent, long? GpuFrequencyHz, IReadOnlyList<PowerRailReading> Rails);

/// <summary>One INA3221 channel, named by its label (VDD_IN, VDD_CPU_GPU_CV, VDD_SOC, ...).</summary>
public sealed record PowerRailReading(string Name, double Volts, double Amperes)
{
    public double Watts => Volts * Amperes;
}
