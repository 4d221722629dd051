using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Reference;

public sealed class ReferenceModelTests
{
    private static readonly int[] Prompt = [17, 300, 5, 42, 511, 0, 256, 99, 128];

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    [InlineData("tiny-qwen3")]
    public void Incremental_forward_equals_the_full_sequence_forward(string shape)
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.Get(shape), 11, dir.Path);
        var full = ReferenceModel.Load(dir.Path);
        var incremental = ReferenceModel.Load(dir.Path);

        var expected = full.Forward(Prompt);
        incremental.Forward(Prompt.AsSpan(0, 4));
        double[] actual = [];
        for (var i = 4; i < Prompt.Length; i++)
        {
            actual = incremental.Forward(Prompt.AsSpan(i, 1));
        }

        Assert.Equal(Prompt.Length, incremental.Position);
        Assert.Equal(512, expected.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-12));
    }

    [Fact]
    public void Reset_starts_a_new_sequence()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 2, dir.Path);
        var model = ReferenceModel.Load(dir.Path);

        var first = model.Forward(Prompt);
        var continued = model.Forward(Prompt);
        model.Reset();
        var again = model.Forward(Prompt);

        Assert.Equal(first, again);
        Assert.NotEqual(first, continued);
    }

    [Fact]
    public void Logits_depend_on_the_earlier_tokens()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyLlama, 3, dir.Path);
        var model = ReferenceModel.Load(dir.Path);

        var a = model.Forward([1, 2, 3, 4]);
        model.Reset();
        var b = model.Forward([9, 2, 3, 4]);

        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) > 1e-6);
    }

    [Fact]
    public void Query_heads_share_key_value_heads_in_contiguous_groups()
    {
        var config = SyntheticShapes.TinyQwen3.Config;

        Assert.Equal([0, 0, 0, 1, 1, 1], Enumerable.Range(0, 6).Select(h => ReferenceLayer.KeyValueHeadOf(h, config)));
    }

    [Fact]
    public void Grouped_query_attention_equals_attention_with_the_key_value_heads_repeated()
    {
        // Expanding k/v projections so each query head has its own copy of its group's key/value head must not
        // change anything: this pins the head-to-group mapping to transformers' repeat_kv layout.
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 4, dir.Combine("gqa"));
        WriteWithRepeatedKeyValueHeads(dir.Combine("gqa"), dir.Combine("mha"));

        var grouped = ReferenceModel.Load(dir.Combine("gqa")).Forward(Prompt);
        var repeated = ReferenceModel.Load(dir.Combine("mha"));

        Assert.Equal(6, repeated.Config.NumKeyValueHeads);
        Assert.All(grouped.Zip(repeated.Forward(Prompt)), p => Assert.Equal(p.First, p.Second, 1e-12));
    }

    [Fact]
    public void Qwen3_query_key_norms_change_the_output()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 4, dir.Combine("a"));
        CopyCheckpoint(dir.Combine("a"), dir.Combine("b"), config => config, (name, values) =>
            name == HfTensorNames.QueryKeyNorm(1, 'k') ? values.Select(v => v * 2).ToArray() : values);

        var original = ReferenceModel.Load(dir.Combine("a")).Forward(Prompt);
        var changed = ReferenceModel.Load(dir.Combine("b")).Forward(Prompt);

        Assert.True(original.Zip(changed).Max(p => Math.Abs(p.First - p.Second)) > 1e-6);
    }

    private static void WriteWithRepeatedKeyValueHeads(string source, string destination)
    {
        using var checkpoint = HfCheckpoint.Open(source);
        var config = checkpoint.Config;
        var rowsPerHead = config.HeadDim * config.HiddenSize;
        CopyCheckpoint(source, destination, c => c with { NumKeyValueHeads = c.NumAttentionHeads }, (name, values) =>
        {
            if (!name.EndsWith("k_proj.weight", StringComparison.Ordinal) && !name.EndsWith("v_proj.weight", StringComparison.Ordinal))
            {
                return values;
            }

            var repeated = new float[config.NumAttentionHeads * rowsPerHead];
            for (var head = 0; head < config.NumAttentionHeads; head++)
            {
                values.AsSpan(head / config.GroupSize * rowsPerHead, rowsPerHead).CopyTo(repeated.AsSpan(head * rowsPerHead));
            }

            return repeated;
        });
    }

    private static void CopyCheckpoint(string source, string destination, Func<HfModelConfig, HfModelConfig> editConfig, Func<string, float[], float[]> editTensor)
    {
        Directory.CreateDirectory(destination);
        using var checkpoint = HfCheckpoint.Open(source);
        var config = editConfig(checkpoint.Config);
        File.WriteAllText(
            Path.Combine(destination, "config.json"),
            File.ReadAllText(Path.Combine(source, "config.json")).Replace(
                $"\"num_key_value_heads\": {checkpoint.Config.NumKeyValueHeads}",
                $"\"num_key_value_heads\": {config.NumKeyValueHeads}",
                StringComparison.Ordinal));
        using var writer = new SafeTensorsWriter(Path.Combine(destination, HfCheckpoint.SingleFileName));
        foreach (var name in checkpoint.TensorNames)
        {
            var values = editTensor(name, checkpoint.ReadFloat32(name));
            var shape = checkpoint.Describe(name).Shape;
            if (values.Length != SafeTensorInfo.ElementCountOf(shape))
            {
                shape = [values.Length / shape[1], shape[1]];
            }

            writer.Add(name, SafeTensorDType.F32, shape, values);
        }

        writer.Save();
    }
}
