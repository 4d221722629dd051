using System.Runtime.InteropServices;

namespace Appliance.Inference.Native;

/// <summary>Where a candidate library path came from.</summary>
public enum OrtLibrarySource
{
    Explicit,
    EnvironmentVariable,
    ApplicationDirectory,
    RepositoryCache,
}

/// <summary>A path the loader will try, in order.</summary>
public sealed record OrtLibraryCandidate(string Path, OrtLibrarySource Source);

/// <summary>
/// Decides which ONNX Runtime library paths to try, as a pure function of its inputs. An explicit path or
/// APPLIANCE_ORT_LIBRARY is the only candidate when given: a user who names a library (say, the CUDA build) must
/// get that one or an error, never a silent fallback to another build.
/// </summary>
public static class OrtLibraryResolver
{
    public const string EnvironmentVariable = "APPLIANCE_ORT_LIBRARY";

    /// <summary>File names of the library next to the executable, preferred first.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["libonnxruntime.so.1", "libonnxruntime.so"];

    public static IReadOnlyList<OrtLibraryCandidate> Candidates(
        string? explicitPath, string? environmentValue, string applicationDirectory, string currentDirectory, Architecture architecture)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return [new(Path.GetFullPath(explicitPath), OrtLibrarySource.Explicit)];
        }

        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            return [new(Path.GetFullPath(environmentValue), OrtLibrarySource.EnvironmentVariable)];
        }

        var candidates = new List<OrtLibraryCandidate>();
        foreach (var name in FileNames)
        {
            candidates.Add(new(Path.Combine(Path.GetFullPath(applicationDirectory), name), OrtLibrarySource.ApplicationDirectory));
        }

        if (RuntimeIdentifierArchitecture(architecture) is { } arch)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var start in new[] { applicationDirectory, currentDirectory })
            {
                for (var dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
                {
                    var path = Path.Combine(dir, ".cache", "onnxruntime", OrtLibrary.PinnedVersion, $"linux-{arch}", FileNames[0]);
                    if (seen.Add(path))
                    {
                        candidates.Add(new(path, OrtLibrarySource.RepositoryCache));
                    }
                }
            }
        }

        return candidates;
    }

    /// <summary>The candidates for this process: its configuration, environment, executable and working directory.</summary>
    public static IReadOnlyList<OrtLibraryCandidate> ForCurrentProcess(string? explicitPath) =>
        Candidates(explicitPath, Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory,
            Environment.CurrentDirectory, RuntimeInformation.ProcessArchitecture);

    private static string? RuntimeIdentifierArchitecture(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        _ => null,
    };
}
