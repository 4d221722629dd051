using System.Buffers.Binary;
using System.Text;
using Appliance.Quantize.HuggingFace;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.HuggingFace;

public sealed class HfCheckpointTests
{
    private const string Config = """
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 1,
         "num_attention_heads": 2, "vocab_size": 3}
        """;

    [Fact]
    public void Single_file_checkpoint_lists_describes_and_reads_tensors()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteFile(dir.Combine(HfCheckpoint.SingleFileName), ("model.norm.weight", SafeTensorDType.BF16, [4], [1, 2, 3, 4]), ("lm_head.weight", SafeTensorDType.F32, [3, 4], Sequence(12)));

        using var checkpoint = HfCheckpoint.Open(dir.Path);

        Assert.Equal(4, checkpoint.Config.HiddenSize);
        Assert.Equal(["lm_head.weight", "model.norm.weight"], checkpoint.TensorNames);
        Assert.True(checkpoint.Contains("lm_head.weight"));
        Assert.False(checkpoint.Contains("model.embed_tokens.weight"));
        var info = checkpoint.Describe("lm_head.weight");
        Assert.Equal(("lm_head.weight", SafeTensorDType.F32, 12L), (info.Name, info.DType, info.ElementCount));
        Assert.Equal([3L, 4], info.Shape);
        Assert.Equal(dir.Combine(HfCheckpoint.SingleFileName), info.File);
        Assert.Equal(Sequence(12), checkpoint.ReadFloat32("lm_head.weight"));
        Assert.Equal([1f, 2, 3, 4], checkpoint.ReadFloat32("model.norm.weight"));
    }

    [Fact]
    public void Sharded_checkpoint_reads_tensors_through_the_index()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteFile(dir.Combine("model-00001-of-00002.safetensors"), ("a", SafeTensorDType.F32, [2], [1, 2]));
        WriteFile(dir.Combine("model-00002-of-00002.safetensors"), ("b", SafeTensorDType.F16, [3], [3, 4, 5]), ("c", SafeTensorDType.F32, [1], [6]));
        WriteIndex(dir, ("a", "model-00001-of-00002.safetensors"), ("b", "model-00002-of-00002.safetensors"), ("c", "model-00002-of-00002.safetensors"));

        using var checkpoint = HfCheckpoint.Open(dir.Path);

        Assert.Equal(["a", "b", "c"], checkpoint.TensorNames);
        Assert.Equal(2, checkpoint.Files.Count);
        Assert.Equal([1f, 2], checkpoint.ReadFloat32("a"));
        Assert.Equal([3f, 4, 5], checkpoint.ReadFloat32("b"));
        Assert.EndsWith("model-00002-of-00002.safetensors", checkpoint.Describe("c").File, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_pointing_at_the_wrong_shard_is_reported()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteFile(dir.Combine("s1.safetensors"), ("a", SafeTensorDType.F32, [1], [1]));
        WriteFile(dir.Combine("s2.safetensors"), ("b", SafeTensorDType.F32, [1], [1]));
        WriteIndex(dir, ("a", "s2.safetensors"));

        var error = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Open(dir.Path));

        Assert.Contains("\"a\" in s2.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_naming_a_missing_shard_names_that_file()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteIndex(dir, ("a", "gone.safetensors"));

        var error = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Open(dir.Path));

        Assert.Contains("gone.safetensors: safetensors file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_tensor_names_the_tensor_and_the_files()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteFile(dir.Combine(HfCheckpoint.SingleFileName), ("a", SafeTensorDType.F32, [1], [1]));
        using var checkpoint = HfCheckpoint.Open(dir.Path);

        var error = Assert.Throws<HfCheckpointException>(() => checkpoint.ReadFloat32("model.norm.weight"));

        Assert.Contains("\"model.norm.weight\" not found in model.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_without_weights_says_what_it_looked_for()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        File.WriteAllText(dir.Combine("pytorch_model.bin"), "x");

        var error = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Open(dir.Path));

        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("pytorch_model.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_file_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        var path = dir.Combine(HfCheckpoint.SingleFileName);
        WriteFile(path, ("a", SafeTensorDType.F32, [64], Sequence(64)));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);

        var error = Assert.Throws<HfCheckpointException>(() => HfCheckpoint.Open(dir.Path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "too short")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "header length")]
    public void Files_too_short_or_with_an_impossible_header_length_are_rejected(byte[] content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bad.safetensors");
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<HfCheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", 8, "not valid JSON")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8, "needs 12")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 4, "outside the data buffer")]
    [InlineData("{\"a\": {\"dtype\": \"Q4\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "\"Q4\" is not a safetensors dtype")]
    [InlineData("{\"a\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", 8, "\"a.dtype\" is required")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, "overlaps")]
    public void Corrupt_headers_are_reported_with_the_file_and_problem(string header, int dataBytes, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("corrupt.safetensors");
        WriteRaw(path, header, dataBytes);

        var error = Assert.Throws<HfCheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_dtype_is_reported_when_the_tensor_is_used()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteRaw(dir.Combine(HfCheckpoint.SingleFileName), "{\"ids\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", 8);
        using var checkpoint = HfCheckpoint.Open(dir.Path);

        var error = Assert.Throws<HfCheckpointException>(() => checkpoint.Describe("ids"));

        Assert.Contains("tensor \"ids\" has dtype I64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_into_a_destination_of_the_wrong_length_is_refused()
    {
        using var dir = new TempDirectory();
        WriteConfig(dir);
        WriteFile(dir.Combine(HfCheckpoint.SingleFileName), ("a", SafeTensorDType.F32, [2, 2], [1, 2, 3, 4]));
        using var checkpoint = HfCheckpoint.Open(dir.Path);

        var error = Assert.Throws<ArgumentException>(() => checkpoint.ReadFloat32("a", new float[3]));

        Assert.Contains("\"a\" of shape [2, 2] has 4 elements; the destination holds 3", error.Message, StringComparison.Ordinal);
    }

    private static float[] Sequence(int count) => Enumerable.Range(0, count).Select(i => i * 0.5f).ToArray();

    private static void WriteConfig(TempDirectory dir) => File.WriteAllText(dir.Combine("config.json"), Config);

    private static void WriteFile(string path, params (string Name, SafeTensorDType DType, long[] Shape, float[] Values)[] tensors)
    {
        using var writer = new SafeTensorsWriter(path);
        foreach (var (name, dtype, shape, values) in tensors)
        {
            writer.Add(name, dtype, shape, values);
        }

        writer.Save();
    }

    private static void WriteIndex(TempDirectory dir, params (string Tensor, string File)[] map)
    {
        var entries = string.Join(", ", map.Select(m => $"\"{m.Tensor}\": \"{m.File}\""));
        File.WriteAllText(dir.Combine(HfCheckpoint.IndexFileName), $$$"""{"metadata": {"total_size": 0}, "weight_map": { {{{entries}}} } }""");
    }

    private static void WriteRaw(string path, string header, int dataBytes)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var content = new byte[8 + headerBytes.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(content, (ulong)headerBytes.Length);
        headerBytes.CopyTo(content, 8);
        File.WriteAllBytes(path, content);
    }
}
