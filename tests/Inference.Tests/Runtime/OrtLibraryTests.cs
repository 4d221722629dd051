using Appliance.Inference.Runtime;

namespace Appliance.Inference.Tests.Runtime;

public sealed class OrtLibraryTests
{
    [Fact]
    public void Loads_the_pinned_version()
    {
        Assert.Equal(OrtLibrary.PinnedVersion, OrtLibrary.Version);
        Assert.True(File.Exists(OrtLibrary.LoadedPath));
    }

    [Fact]
    public void Lists_the_cpu_provider()
    {
        Assert.Contains("CPUExecutionProvider", OrtLibrary.AvailableProviders);
    }

    [Fact]
    public void Configure_cannot_switch_the_loaded_library()
    {
        var loaded = OrtLibrary.LoadedPath; // load first: configuring before the first load would redirect the whole test process

        var error = Assert.Throws<InvalidOperationException>(() => OrtLibrary.Configure("/elsewhere/libonnxruntime.so.1"));

        Assert.Contains(loaded, error.Message, StringComparison.Ordinal);
        OrtLibrary.Configure(loaded);
    }
}
