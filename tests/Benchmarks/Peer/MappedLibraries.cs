namespace Appliance.Benchmarks.Peer;

/// <summary>
/// The shared libraries mapped into this process, from /proc/self/maps: which libonnxruntime.so GenAI really loaded
/// (it dlopens one at run time, searching the library path before its own directory).
/// </summary>
internal static class MappedLibraries
{
    /// <summary>Distinct paths of mapped files whose name starts with <paramref name="fileNamePrefix"/>, in first-mapped order.</summary>
    public static IReadOnlyList<string> Named(string fileNamePrefix, string mapsPath = "/proc/self/maps")
    {
        ArgumentException.ThrowIfNullOrEmpty(fileNamePrefix);
        var paths = new List<string>();
        foreach (var line in File.ReadLines(mapsPath))
        {
            // address perms offset dev inode [path]; the path starts at the first '/' and may contain spaces.
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..];
            if (Path.GetFileName(path).StartsWith(fileNamePrefix, StringComparison.Ordinal) && !paths.Contains(path))
            {
                paths.Add(path);
            }
        }

        return paths;
    }
}
