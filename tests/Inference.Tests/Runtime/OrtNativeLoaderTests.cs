using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Runtime;

public sealed class OrtNativeLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("ort-loader");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_library_lists_every_path_tried_and_why()
    {
        var candidates = new[]
        {
            new OrtLibraryCandidate(_dir.Combine("nope", "libonnxruntime.so.1"), OrtLibrarySource.EnvironmentVariable),
            new OrtLibraryCandidate(_dir.Combine("libonnxruntime.so"), OrtLibrarySource.ApplicationDirectory),
        };

        var error = Assert.Throws<OrtLibraryNotFoundException>(() => OrtNativeLoader.Open(candidates));

        Assert.Equal(2, error.Attempts.Count);
        foreach (var candidate in candidates)
        {
            Assert.Contains($"{candidate.Path} [{candidate.Source}]: file does not exist", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains(OrtLibraryResolver.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_file_reports_the_loader_error()
    {
        var path = _dir.Combine("libonnxruntime.so");
        File.WriteAllText(path, "not a shared object");

        var error = Assert.Throws<OrtLibraryNotFoundException>(() => OrtNativeLoader.Open([new(path, OrtLibrarySource.Explicit)]));

        Assert.StartsWith("could not be loaded", Assert.Single(error.Attempts).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_library_that_is_not_onnx_runtime_is_rejected()
    {
        var other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");

        var error = Assert.Throws<OrtLibraryNotFoundException>(() => OrtNativeLoader.Open([new(other, OrtLibrarySource.Explicit)]));

        Assert.Contains("no OrtGetApiBase export", Assert.Single(error.Attempts).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_candidates_are_tried_after_a_failure()
    {
        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        var packaged = Path.Combine(AppContext.BaseDirectory, "runtimes", $"linux-{arch}", "native", "libonnxruntime.so");

        var loaded = OrtNativeLoader.Open([new(_dir.Combine("missing.so"), OrtLibrarySource.ApplicationDirectory), new(packaged, OrtLibrarySource.PackageRuntimeDirectory)]);

        Assert.Equal(packaged, loaded.Candidate.Path);
        Assert.Equal(OrtLibrary.PinnedVersion, loaded.Version);
        Assert.NotEqual(0, loaded.ApiTable);
    }
}
