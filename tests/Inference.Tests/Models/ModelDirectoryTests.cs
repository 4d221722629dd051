using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Models;

public sealed class ModelDirectoryTests
{
    [Fact]
    public void Open_reads_config_and_finds_decoder_and_external_data()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: true);

        var model = ModelDirectory.Open(directory.Path);

        Assert.Equal(directory.Path, model.Path);
        Assert.Equal(directory.Combine("model.onnx"), model.DecoderPath);
        Assert.Equal([directory.Combine(ModelDirectoryBuilder.DataFileName)], model.ExternalDataPaths);
        Assert.Equal(32, model.Config.Model.VocabSize);
        Assert.NotNull(model.Manifest);
        Assert.Equal(
            new FileInfo(model.DecoderPath).Length + new FileInfo(model.ExternalDataPaths[0]).Length,
            model.WeightFileBytes);
    }

    [Fact]
    public void Open_without_a_manifest_still_checks_everything_else()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);

        Assert.Null(ModelDirectory.Open(directory.Path).Manifest);
    }

    [Fact]
    public void Missing_directory_is_named()
    {
        using var directory = new TempDirectory();
        var missing = directory.Combine("nope");

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(missing));

        Assert.Equal($"{missing}: model directory does not exist.", error.Message);
    }

    [Fact]
    public void Missing_external_data_file_is_named_with_the_tensor_that_needs_it()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        File.Delete(directory.Combine(ModelDirectoryBuilder.DataFileName));

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.StartsWith($"{directory.Combine(ModelDirectoryBuilder.DataFileName)}: external data file is missing (initializer 'weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_external_data_file_is_reported_with_the_byte_range_needed()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        var dataPath = directory.Combine(ModelDirectoryBuilder.DataFileName);
        using (var stream = File.OpenWrite(dataPath))
        {
            stream.SetLength(100);
        }

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.Equal($"{dataPath}: initializer 'weight' needs bytes [0, {ModelDirectoryBuilder.WeightCount * 4}) but the file has 100 bytes (truncated?).", error.Message);
    }

    [Fact]
    public void Missing_decoder_file_is_named()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        File.Delete(directory.Combine("model.onnx"));

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.StartsWith($"{directory.Combine("model.onnx")}: decoder model file is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_file_under_a_manifest_is_a_hash_mismatch_even_if_it_still_parses()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: true);
        var configPath = directory.Combine(GenAiConfig.FileName);
        var text = File.ReadAllText(configPath);
        File.WriteAllText(configPath, text.Replace("\"vocab_size\": 32", "\"vocab_size\": 33", StringComparison.Ordinal));

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.StartsWith($"{configPath}: SHA-256 mismatch, manifest.json expects ", error.Message, StringComparison.Ordinal);
        Assert.NotNull(ModelDirectory.Open(directory.Path, verifyHashes: false));
    }

    [Fact]
    public void Malformed_genai_config_names_file_and_position()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        var configPath = directory.Combine(GenAiConfig.FileName);
        File.WriteAllText(configPath, "{\n  \"model\": [\n");

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.StartsWith($"{configPath}: malformed JSON at line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoder_filename_outside_the_directory_is_refused()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        var config = ModelDirectoryBuilder.Config();
        config.Model.Decoder.Filename = "../model.onnx";
        config.Save(directory.Combine(GenAiConfig.FileName));

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.Contains("model.decoder.filename \"../model.onnx\" points outside the model directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_that_leaves_out_the_weights_is_refused()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        ModelManifest.Create(directory.Path, [GenAiConfig.FileName, "model.onnx"], new ManifestSource(null, "LlamaForCausalLM", new string('0', 64), null), new Dictionary<string, string>())
            .Save(directory.Path);

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.StartsWith($"{directory.Combine(ModelDirectoryBuilder.DataFileName)}: not listed in ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decoder_file_that_is_not_protobuf_is_reported()
    {
        using var directory = new TempDirectory();
        ModelDirectoryBuilder.Write(directory.Path, withManifest: false);
        File.WriteAllBytes(directory.Combine("model.onnx"), [0x3A, 0xFF, 0xFF, 0xFF, 0x0F]);

        var error = Assert.Throws<ModelDirectoryException>(() => ModelDirectory.Open(directory.Path));

        Assert.StartsWith($"{directory.Combine("model.onnx")}: not a valid ONNX model: ", error.Message, StringComparison.Ordinal);
    }
}
