using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Models;

public sealed class VerifyingLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new("verifying-loader");

    public VerifyingLoaderTests() => ModelDirectoryBuilder.Write(_directory.Path, withManifest: true);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Untouched_files_hand_out_what_the_load_built()
    {
        using var loaded = VerifyingLoader.Load(_directory.Path, verifyHashes: true, model => new Built(model));

        Assert.False(loaded.Disposed);
        Assert.Equal(_directory.Path, loaded.Model.Path);
    }

    [Fact]
    public void A_changed_weight_file_fails_the_load_with_the_mismatch_and_disposes_what_was_built()
    {
        var data = _directory.Combine(ModelDirectoryBuilder.DataFileName);
        FlipLastByte(data);
        Built? built = null;

        var error = Assert.Throws<ModelDirectoryException>(() => VerifyingLoader.Load(_directory.Path, verifyHashes: true, model => built = new Built(model)));

        Assert.StartsWith($"{data}: SHA-256 mismatch, manifest.json expects ", error.Message, StringComparison.Ordinal);
        Assert.NotNull(built);
        Assert.True(built.Disposed);
    }

    [Fact]
    public void A_load_that_fails_on_changed_content_reports_the_mismatch_not_the_symptom()
    {
        var config = _directory.Combine(GenAiConfig.FileName);
        var text = File.ReadAllText(config);
        File.WriteAllText(config, "x" + text[1..]);

        var error = Assert.Throws<ModelDirectoryException>(() => VerifyingLoader.Load(_directory.Path, verifyHashes: true, model => new Built(model)));

        Assert.StartsWith($"{config}: SHA-256 mismatch, manifest.json expects ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_fails_before_anything_is_built()
    {
        var data = _directory.Combine(ModelDirectoryBuilder.DataFileName);
        using (var stream = new FileStream(data, FileMode.Open))
        {
            stream.SetLength(stream.Length - 1);
        }

        var loads = 0;
        var error = Assert.Throws<ModelDirectoryException>(() => VerifyingLoader.Load(_directory.Path, verifyHashes: true, model =>
        {
            loads++;
            return new Built(model);
        }));

        Assert.StartsWith($"{data}: size mismatch", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, loads);
    }

    [Fact]
    public void Without_verification_a_changed_file_of_the_right_size_loads()
    {
        FlipLastByte(_directory.Combine(ModelDirectoryBuilder.DataFileName));

        using var loaded = VerifyingLoader.Load(_directory.Path, verifyHashes: false, model => new Built(model));

        Assert.False(loaded.Disposed);
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x5a;
        File.WriteAllBytes(path, bytes);
    }

    private sealed class Built(ModelDirectory model) : IDisposable
    {
        public ModelDirectory Model { get; } = model;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
