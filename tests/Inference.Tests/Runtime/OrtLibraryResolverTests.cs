using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;

namespace Appliance.Inference.Tests.Runtime;

public sealed class OrtLibraryResolverTests
{
    private const string App = "/opt/appliance/bin";

    [Fact]
    public void Explicit_path_is_the_only_candidate()
    {
        var candidates = OrtLibraryResolver.Candidates("/lib/ort/libonnxruntime.so.1", "/env/libonnxruntime.so.1", App, Architecture.X64);

        Assert.Equal([new OrtLibraryCandidate("/lib/ort/libonnxruntime.so.1", OrtLibrarySource.Explicit)], candidates);
    }

    [Fact]
    public void Environment_variable_is_the_only_candidate_without_an_explicit_path()
    {
        var candidates = OrtLibraryResolver.Candidates(null, "/env/libonnxruntime.so.1", App, Architecture.Arm64);

        Assert.Equal([new OrtLibraryCandidate("/env/libonnxruntime.so.1", OrtLibrarySource.EnvironmentVariable)], candidates);
    }

    [Fact]
    public void Default_order_is_beside_the_executable_then_the_package_runtime_directory()
    {
        var candidates = OrtLibraryResolver.Candidates(" ", "", App, Architecture.Arm64);

        Assert.Equal(
        [
            new("/opt/appliance/bin/libonnxruntime.so", OrtLibrarySource.ApplicationDirectory),
            new("/opt/appliance/bin/libonnxruntime.so.1", OrtLibrarySource.ApplicationDirectory),
            new("/opt/appliance/bin/runtimes/linux-arm64/native/libonnxruntime.so", OrtLibrarySource.PackageRuntimeDirectory),
        ],
            candidates);
    }

    [Fact]
    public void Architectures_the_package_does_not_ship_only_look_next_to_the_executable()
    {
        var candidates = OrtLibraryResolver.Candidates(null, null, App, Architecture.X86);

        Assert.All(candidates, c => Assert.Equal(OrtLibrarySource.ApplicationDirectory, c.Source));
    }

    [Fact]
    public void Relative_paths_are_made_absolute()
    {
        var candidate = Assert.Single(OrtLibraryResolver.Candidates("lib/libonnxruntime.so.1", null, App, Architecture.X64));

        Assert.True(Path.IsPathRooted(candidate.Path));
    }
}
