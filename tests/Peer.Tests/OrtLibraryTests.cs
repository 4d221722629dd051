using Appliance.Benchmarks.Peer;
using Appliance.TestSupport;

namespace Appliance.Peer.Tests;

/// <summary>
/// GenAI's native library links no ONNX Runtime; it dlopens one at run time. It must find the libonnxruntime.so the
/// Microsoft.ML.OnnxRuntime package put in this build's output (the one the appliance runs on), and no other.
/// </summary>
[Collection(GenAiFixtures.Name)]
public sealed class OrtLibraryTests(TinyPeerModels models)
{
    [Fact]
    public void GenAI_loads_the_onnx_runtime_of_this_build_s_output_and_only_that_one()
    {
        using var model = GenAiModels.Open(models.Model("tiny-llama", "int4"), intraOpThreads: 1);

        var expected = EngineEnvironment.OrtLibraryBeside(AppContext.BaseDirectory);
        Assert.True(File.Exists(expected), $"{expected} should have been copied from the Microsoft.ML.OnnxRuntime package");
        Assert.Equal([expected], MappedLibraries.Named("libonnxruntime.so"));
        var genai = Assert.Single(MappedLibraries.Named("libonnxruntime-genai.so"));
        Assert.Equal(Path.GetDirectoryName(expected), Path.GetDirectoryName(genai));
    }

    [Fact]
    public void Mapped_libraries_are_read_from_the_maps_file_by_file_name_prefix()
    {
        using var directory = new TempDirectory("appliance-maps");
        var maps = directory.Combine("maps");
        File.WriteAllLines(maps,
        [
            "7f0000000000-7f0000001000 r--p 00000000 08:01 11 /opt/a dir/libonnxruntime.so.1",
            "7f0000001000-7f0000002000 r-xp 00001000 08:01 11 /opt/a dir/libonnxruntime.so.1",
            "7f0000002000-7f0000003000 r--p 00000000 08:01 12 /opt/libonnxruntime-genai.so",
            "7f0000003000-7f0000004000 r--p 00000000 08:01 13 /opt/libonnxruntime_providers_shared.so",
            "7f0000004000-7f0000005000 rw-p 00000000 00:00 0 ",
            "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]",
            "7f0000005000-7f0000006000 r--p 00000000 08:01 14 /usr/lib/libonnxruntime.so",
        ]);

        Assert.Equal(["/opt/a dir/libonnxruntime.so.1", "/usr/lib/libonnxruntime.so"], MappedLibraries.Named("libonnxruntime.so", maps));
        Assert.Equal(["/opt/libonnxruntime-genai.so"], MappedLibraries.Named("libonnxruntime-genai", maps));
    }
}
