namespace Appliance.Benchmarks.Peer;

/// <summary>Which built appliance the comparison runs: never `dotnet run`, always a build's own binary.</summary>
internal static class ApplianceBinary
{
    /// <summary>The Native AOT build (what the box runs) when it exists, else the JIT build copied beside this program.</summary>
    public static IReadOnlyList<string> DefaultCandidates(string repositoryRoot, string baseDirectory) =>
        [Path.Combine(repositoryRoot, "artifacts", "aot", "appliance"), Path.Combine(baseDirectory, "appliance.dll")];

    public static string Choose(string? explicitPath, IReadOnlyList<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new FileNotFoundException($"--appliance {explicitPath}: no such file.", explicitPath);
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"No built appliance found (tried {string.Join(", ", candidates)}); build src/Appliance or pass --appliance.");
    }
}
