using System.Runtime.InteropServices;

namespace Appliance.Inference.Runtime;

/// <summary>Where a candidate library path came from.</summary>
public enum OrtLibrarySource
{
    Explicit,
    EnvironmentVariable,
    ApplicationDirectory,
    PackageRuntimeDirectory,
}

/// <summary>A path the loader will try, in order.</summary>
public sealed record OrtLibraryCandidate(string Path, OrtLibrarySource Source);

/// <summary>
/// Decides which ONNX Runtime library paths to try, as a pure function of its inputs. An explicit path or
/// APPLIANCE_ORT_LIBRARY is the only candidate when given: a user who names a library (say, the JetPack CUDA build)
/// must get that one or an error, never a silent fallback to another build. Otherwise the library the NuGet package
/// put beside the executable (a RID-specific publish) or under runtimes/linux-ARCH/native (a portable build).
/// </summary>
public static class OrtLibraryResolver
{
    public const string EnvironmentVariable = "APPLIANCE_ORT_LIBRARY";

    /// <summary>File names of the library next to the executable, preferred first (a board may ship only the soname).</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["libonnxruntime.so", "libonnxruntime.so.1"];

    public static IReadOnlyList<OrtLibraryCandidate> Candidates(
        string? explicitPath, string? environmentValue, string applicationDirectory, Architecture architecture)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return [new(Path.GetFullPath(explicitPath), OrtLibrarySource.Explicit)];
        }

        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            return [new(Path.GetFullPath(environmentValue), OrtLibrarySource.EnvironmentVariable)];
        }

        var directory = Path.GetFullPath(applicationDirectory);
        var candidates = FileNames.Select(name => new OrtLibraryCandidate(Path.Combine(directory, name), OrtLibrarySource.ApplicationDirectory)).ToList();
        if (RuntimeIdentifierArchitecture(architecture) is { } arch)
        {
            candidates.Add(new(Path.Combine(directory, "runtimes", $"linux-{arch}", "native", FileNames[0]), OrtLibrarySource.PackageRuntimeDirectory));
        }

        return candidates;
    }

    /// <summary>The candidates for this process: its configuration, environment and executable's directory.</summary>
    public static IReadOnlyList<OrtLibraryCandidate> ForCurrentProcess(string? explicitPath) =>
        Candidates(explicitPath, Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory,
            RuntimeInformation.ProcessArchitecture);

    private static string? RuntimeIdentifierArchitecture(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        _ => null,
    };
}
