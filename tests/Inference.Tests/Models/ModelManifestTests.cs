using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Models;

public sealed class ModelManifestTests
{
    // SHA-256 test vectors from FIPS 180-2.
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Create_records_size_and_sha256_of_each_file_sorted_by_path()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("sub"));
        File.WriteAllText(directory.Combine("b.txt"), "abc");
        File.WriteAllBytes(directory.Combine("sub", "a.bin"), []);

        var manifest = ModelManifest.Create(directory.Path, ["b.txt", Path.Combine("sub", "a.bin")], Source(), Recipe());

        Assert.Equal([new ManifestFile("b.txt", 3, AbcSha256), new ManifestFile("sub/a.bin", 0, EmptySha256)], manifest.Files);
        Assert.Equal("apache-2.0", manifest.License);
        Assert.Equal(["block_size", "weights"], manifest.Recipe.Keys);
    }

    [Fact]
    public void Save_then_load_round_trips()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.Combine("b.txt"), "abc");
        ModelManifest.Create(directory.Path, ["b.txt"], Source(), Recipe()).Save(directory.Path);

        var loaded = ModelManifest.Load(directory.Path);

        Assert.Equal(1, loaded.FormatVersion);
        Assert.Equal([new ManifestFile("b.txt", 3, AbcSha256)], loaded.Files);
        Assert.Equal(Source(), loaded.Source);
        Assert.Equal(Recipe(), loaded.Recipe);
        Assert.Contains("\"config_sha256\"", File.ReadAllText(directory.Combine(ModelManifest.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_accepts_untouched_files()
    {
        using var directory = WithManifest();

        ManifestVerifier.Verify(directory.Path);
    }

    [Fact]
    public void Verify_reports_a_tampered_file_with_expected_and_actual_hash()
    {
        using var directory = WithManifest();
        File.WriteAllText(directory.Combine("b.txt"), "abd");

        var error = Assert.Throws<ModelDirectoryException>(() => ManifestVerifier.Verify(directory.Path));

        Assert.Equal(
            $"{directory.Combine("b.txt")}: SHA-256 mismatch, manifest.json expects {AbcSha256}, " +
            "found a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9",
            error.Message);
    }

    [Fact]
    public void Verify_reports_size_mismatch_and_missing_files_together()
    {
        using var directory = WithManifest();
        File.WriteAllText(directory.Combine("b.txt"), "abcd");
        File.Delete(directory.Combine("c.txt"));

        var error = Assert.Throws<ModelDirectoryException>(() => ManifestVerifier.Verify(directory.Path));

        Assert.Contains($"{directory.Combine("b.txt")}: size mismatch, manifest.json expects 3 bytes, found 4", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{directory.Combine("c.txt")}: file listed in manifest.json is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_without_hashes_still_checks_sizes_but_not_content()
    {
        using var directory = WithManifest();
        var manifest = ModelManifest.Load(directory.Path);
        File.WriteAllText(directory.Combine("b.txt"), "abd");

        ManifestVerifier.Verify(directory.Path, manifest, verifyHashes: false);
        File.WriteAllText(directory.Combine("b.txt"), "ab");
        Assert.Throws<ModelDirectoryException>(() => ManifestVerifier.Verify(directory.Path, manifest, verifyHashes: false));
    }

    [Fact]
    public void Paths_that_leave_the_directory_are_refused()
    {
        using var directory = WithManifest();
        var manifestPath = directory.Combine(ModelManifest.FileName);
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"c.txt\"", "\"../c.txt\"", StringComparison.Ordinal));

        var error = Assert.Throws<ModelDirectoryException>(() => ManifestVerifier.Verify(directory.Path));

        Assert.Contains("file \"../c.txt\" points outside the model directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_format_version_and_bad_hash_text_are_rejected()
    {
        using var directory = WithManifest();
        var manifestPath = directory.Combine(ModelManifest.FileName);
        var original = File.ReadAllText(manifestPath);

        File.WriteAllText(manifestPath, original.Replace("\"format_version\": 1", "\"format_version\": 2", StringComparison.Ordinal));
        Assert.Contains("format_version 2 is not supported", Assert.Throws<ModelDirectoryException>(() => ModelManifest.Load(directory.Path)).Message, StringComparison.Ordinal);

        File.WriteAllText(manifestPath, original.Replace(AbcSha256, AbcSha256.ToUpperInvariant(), StringComparison.Ordinal));
        Assert.Contains("\"b.txt\" sha256", Assert.Throws<ModelDirectoryException>(() => ModelManifest.Load(directory.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_fails_on_a_missing_file()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<ModelDirectoryException>(() => ModelManifest.Create(directory.Path, ["nope.bin"], Source(), Recipe()));

        Assert.Equal($"{directory.Combine("nope.bin")}: cannot add to the manifest, the file is missing.", error.Message);
    }

    private static TempDirectory WithManifest()
    {
        var directory = new TempDirectory();
        File.WriteAllText(directory.Combine("b.txt"), "abc");
        File.WriteAllText(directory.Combine("c.txt"), "c");
        ModelManifest.Create(directory.Path, ["b.txt", "c.txt"], Source(), Recipe()).Save(directory.Path);
        return directory;
    }

    private static ManifestSource Source() => new("org/model", "LlamaForCausalLM", AbcSha256, "apache-2.0");

    private static Dictionary<string, string> Recipe() => new() { ["weights"] = "int4", ["block_size"] = "32" };
}
