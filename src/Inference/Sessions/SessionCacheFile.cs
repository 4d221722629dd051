namespace Appliance.Inference.Sessions;

/// <summary>One file of a session cache entry.</summary>
/// <param name="Path">Relative to the entry directory.</param>
/// <param name="XxHash128">Lower-case hex.</param>
public sealed record SessionCacheFile(string Path, long Size, string XxHash128);
