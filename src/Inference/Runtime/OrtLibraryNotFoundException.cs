namespace Appliance.Inference.Runtime;

/// <summary>No usable ONNX Runtime library was found; the message lists every path tried and why each failed.</summary>
public sealed class OrtLibraryNotFoundException : Exception
{
    public OrtLibraryNotFoundException(IReadOnlyList<OrtLibraryAttempt> attempts)
        : base(Describe(attempts))
    {
        Attempts = attempts;
    }

    public IReadOnlyList<OrtLibraryAttempt> Attempts { get; }

    private static string Describe(IReadOnlyList<OrtLibraryAttempt> attempts)
    {
        var lines = attempts.Count == 0
            ? "  (no candidate paths)"
            : string.Join(Environment.NewLine, attempts.Select(a => $"  {a.Candidate.Path} [{a.Candidate.Source}]: {a.Failure}"));
        return $"ONNX Runtime library not found. Paths tried:{Environment.NewLine}{lines}{Environment.NewLine}" +
            $"Set Engine:OrtLibrary or {OrtLibraryResolver.EnvironmentVariable} to the library path " +
            "(the build comes with the Microsoft.ML.OnnxRuntime package: `dotnet publish -r linux-x64|linux-arm64` puts it beside the binary).";
    }
}

/// <summary>One candidate library path and why loading it failed.</summary>
public sealed record OrtLibraryAttempt(OrtLibraryCandidate Candidate, string Failure);
