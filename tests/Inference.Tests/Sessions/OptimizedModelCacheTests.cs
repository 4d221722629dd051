using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Sessions;
using Appliance.Inference.Tests.Differential;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Sessions;

/// <summary>The session cache on a real int4 conversion (MatMulNBits, whose weights ONNX Runtime prepacks).</summary>
public sealed class OptimizedModelCacheTests : IDisposable
{
    private static readonly int[] Prompt = [5, 17, 3, 42, 8];
    private readonly ConvertedModel _model = ConvertedModel.Create(SyntheticShapes.TinyLlama, seed: 11, ConversionPrecision.Int4);
    private readonly TempDirectory _cache = new("session-cache");

    public void Dispose()
    {
        _model.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public void The_first_load_builds_an_entry_and_the_second_loads_it_with_the_same_output()
    {
        var uncached = Generate(cacheRoot: null, out _);

        var first = Generate(_cache.Path, out var built);
        var second = Generate(_cache.Path, out var hit);

        Assert.Equal(SessionCacheOutcome.Built, built.Outcome);
        Assert.Equal(SessionCacheOutcome.Hit, hit.Outcome);
        Assert.Null(hit.Problem);
        Assert.Equal(uncached, first);
        Assert.Equal(uncached, second);
        var entry = Assert.Single(Directory.GetDirectories(_cache.Path));
        Assert.True(File.Exists(Path.Combine(entry, SessionCacheEntry.FileName)));
    }

    [Fact]
    public void A_changed_manifest_misses_and_replaces_the_stale_entry()
    {
        Generate(_cache.Path, out _);
        var stale = Assert.Single(Directory.GetDirectories(_cache.Path));
        var manifestPath = Path.Combine(_model.ModelDirectory, ModelManifest.FileName);
        var manifest = ModelManifest.Load(_model.ModelDirectory);
        manifest.License = "changed";
        manifest.Save(_model.ModelDirectory);
        Assert.True(File.Exists(manifestPath));

        Generate(_cache.Path, out var result);

        Assert.Equal(SessionCacheOutcome.Built, result.Outcome);
        var entry = Assert.Single(Directory.GetDirectories(_cache.Path));
        Assert.NotEqual(stale, entry);
    }

    [Theory]
    [InlineData("model.onnx.data", "checksum mismatch")]
    [InlineData("model.onnx", "checksum mismatch")]
    [InlineData("entry.json", "entry.json")]
    public void A_corrupt_entry_is_rebuilt_never_used(string file, string reason)
    {
        var uncached = Generate(cacheRoot: null, out _);
        Generate(_cache.Path, out _);
        var entry = Assert.Single(Directory.GetDirectories(_cache.Path));
        var path = Path.Combine(entry, file);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(path, bytes);

        var output = Generate(_cache.Path, out var rebuilt);
        Generate(_cache.Path, out var hit);

        Assert.Equal(SessionCacheOutcome.Rebuilt, rebuilt.Outcome);
        Assert.Contains(reason, rebuilt.Problem, StringComparison.Ordinal);
        Assert.Contains(entry, rebuilt.Problem, StringComparison.Ordinal);
        Assert.Equal(uncached, output);
        Assert.Equal(SessionCacheOutcome.Hit, hit.Outcome);
    }

    [Fact]
    public void A_truncated_entry_is_rebuilt()
    {
        Generate(_cache.Path, out _);
        var data = Path.Combine(Assert.Single(Directory.GetDirectories(_cache.Path)), "model.onnx.data");
        using (var stream = new FileStream(data, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        Generate(_cache.Path, out var result);

        Assert.Equal(SessionCacheOutcome.Rebuilt, result.Outcome);
        Assert.Contains("size mismatch", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_cache_directory_still_loads_the_model_and_says_why()
    {
        var uncached = Generate(cacheRoot: null, out _);
        var notADirectory = _cache.Combine("file");
        File.WriteAllText(notADirectory, "in the way");

        var output = Generate(notADirectory, out var result);

        Assert.Equal(SessionCacheOutcome.Unwritable, result.Outcome);
        Assert.Contains(notADirectory, result.Problem, StringComparison.Ordinal);
        Assert.Equal(uncached, output);
    }

    private int[] Generate(string? cacheRoot, out SessionCacheResult cache)
    {
        using var generator = Generator.Open(
            ModelDirectory.Open(_model.ModelDirectory),
            new DecoderSessionOptions { IntraOpThreads = 1, MaxSequenceLength = 32, SessionCacheDirectory = cacheRoot });
        cache = generator.Decoder.SessionCache;
        var result = generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 8, Sampling = SamplerSettings.Greedy, StopTokenIds = [] });
        return [.. result.Tokens];
    }
}
