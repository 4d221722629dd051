namespace Appliance.Telemetry.Process;

/// <summary>Resident memory of the process, in bytes.</summary>
/// <param name="ResidentBytes">VmRSS: resident now.</param>
/// <param name="PeakResidentBytes">VmHWM: the most ever resident ("high water mark").</param>
public readonly record struct ProcessMemorySnapshot(long ResidentBytes, long PeakResidentBytes);
