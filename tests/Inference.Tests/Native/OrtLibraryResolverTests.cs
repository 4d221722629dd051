using System.Runtime.InteropServices;
using Appliance.Inference.Native;

namespace Appliance.Inference.Tests.Native;

public sealed class OrtLibraryResolverTests
{
    private const string App = "/opt/appliance/bin";
    private const string Cwd = "/home/user/work";

    [Fact]
    public void Explicit_path_is_the_only_candidate()
    {
        var candidates = OrtLibraryResolver.Candidates("/lib/ort/libonnxruntime.so.1", "/env/libonnxruntime.so.1", App, Cwd, Architecture.X64);

        Assert.Equal([new OrtLibraryCandidate("/lib/ort/libonnxruntime.so.1", OrtLibrarySource.Explicit)], candidates);
    }

    [Fact]
    public void Environment_variable_is_the_only_candidate_without_an_explicit_path()
    {
        var candidates = OrtLibraryResolver.Candidates(null, "/env/libonnxruntime.so.1", App, Cwd, Architecture.Arm64);

        Assert.Equal([new OrtLibraryCandidate("/env/libonnxruntime.so.1", OrtLibrarySource.EnvironmentVariable)], candidates);
    }

    [Fact]
    public void Default_order_is_application_directory_then_repository_cache_walking_up()
    {
        var candidates = OrtLibraryResolver.Candidates(" ", "", App, Cwd, Architecture.Arm64);

        Assert.Equal(
        [
            new("/opt/appliance/bin/libonnxruntime.so.1", OrtLibrarySource.ApplicationDirectory),
            new("/opt/appliance/bin/libonnxruntime.so", OrtLibrarySource.ApplicationDirectory),
            new("/opt/appliance/bin/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
            new("/opt/appliance/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
            new("/opt/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
            new("/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
            new("/home/user/work/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
            new("/home/user/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
            new("/home/.cache/onnxruntime/1.30.0/linux-arm64/libonnxruntime.so.1", OrtLibrarySource.RepositoryCache),
        ],
            candidates);
    }

    [Fact]
    public void Architectures_without_a_cached_build_only_look_next_to_the_executable()
    {
        var candidates = OrtLibraryResolver.Candidates(null, null, App, Cwd, Architecture.X86);

        Assert.All(candidates, c => Assert.Equal(OrtLibrarySource.ApplicationDirectory, c.Source));
    }

    [Fact]
    public void Relative_paths_are_made_absolute()
    {
        var candidate = Assert.Single(OrtLibraryResolver.Candidates("lib/libonnxruntime.so.1", null, App, Cwd, Architecture.X64));

        Assert.True(Path.IsPathRooted(candidate.Path));
    }
}
