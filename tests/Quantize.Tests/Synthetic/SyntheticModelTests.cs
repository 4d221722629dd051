using System.Text.Json;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Synthetic;

public sealed class SyntheticModelTests
{
    private static readonly string[] GeneratedFiles = ["README.md", "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"];

    [Fact]
    public void Same_seed_gives_byte_identical_files_and_another_seed_different_weights()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 5, dir.Combine("a"));
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 5, dir.Combine("b"));
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 6, dir.Combine("c"));

        Assert.Equal(GeneratedFiles, Directory.GetFiles(dir.Combine("a")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in GeneratedFiles)
        {
            Assert.Equal(File.ReadAllBytes(dir.Combine("a", file)), File.ReadAllBytes(dir.Combine("b", file)));
        }

        Assert.NotEqual(File.ReadAllBytes(dir.Combine("a", "model.safetensors")), File.ReadAllBytes(dir.Combine("c", "model.safetensors")));
    }

    [Fact]
    public void Weights_are_pinned_across_runtimes()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyLlama, 1, dir.Path);
        using var checkpoint = HfCheckpoint.Open(dir.Path);

        // The first values of N(0, 0.02) for this tensor, from an independent Python implementation.
        float[] expected = [-0.021350739523768425f, 0.0018331590108573437f, 0.03864062950015068f, -0.0029957331717014313f];
        Assert.Equal(expected, checkpoint.ReadFloat32(HfTensorNames.EmbedTokens)[..4]);
    }

    [Theory]
    [InlineData("tiny-llama", HfArchitecture.Llama, 64, 2, 4, 2, 16, 160, false, false)]
    [InlineData("tiny-qwen2", HfArchitecture.Qwen2, 64, 2, 4, 4, 16, 160, true, true)]
    [InlineData("tiny-qwen3", HfArchitecture.Qwen3, 96, 3, 6, 2, 32, 192, true, false)]
    public void Tiny_shapes_have_their_documented_dimensions_and_tensors(
        string name, HfArchitecture architecture, int hidden, int layers, int heads, int kvHeads, int headDim, int ffn, bool tied, bool bias)
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.Get(name), 1, dir.Path);
        using var checkpoint = HfCheckpoint.Open(dir.Path);
        var c = checkpoint.Config;

        Assert.Equal((architecture, hidden, layers, heads, kvHeads, headDim, ffn, 512, tied, bias),
            (c.Architecture, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim, c.IntermediateSize, c.VocabSize, c.TieWordEmbeddings, c.AttentionBias));
        Assert.Equal(SyntheticWeights.Layout(c).Select(t => t.Name).Order(StringComparer.Ordinal), checkpoint.TensorNames);
        Assert.Equal(!tied, checkpoint.Contains(HfTensorNames.LmHead));
        Assert.Equal(bias, checkpoint.Contains(HfTensorNames.AttentionBias(0, 'q')));
        Assert.False(checkpoint.Contains(HfTensorNames.AttentionBias(0, 'o')));
        Assert.Equal(architecture == HfArchitecture.Qwen3, checkpoint.Contains(HfTensorNames.QueryKeyNorm(layers - 1, 'k')));
        Assert.Equal([(long)heads * headDim, hidden], checkpoint.Describe(HfTensorNames.AttentionWeight(layers - 1, 'q')).Shape);
        Assert.Equal([(long)kvHeads * headDim, hidden], checkpoint.Describe(HfTensorNames.AttentionWeight(0, 'v')).Shape);
        Assert.Equal([(long)hidden, heads * headDim], checkpoint.Describe(HfTensorNames.AttentionWeight(0, 'o')).Shape);
        Assert.Equal([(long)hidden, ffn], checkpoint.Describe(HfTensorNames.Mlp(0, "down")).Shape);
        Assert.Equal([512L, hidden], checkpoint.Describe(HfTensorNames.EmbedTokens).Shape);
    }

    [Fact]
    public void Tiny_llama_uses_llama3_rope_scaling_a_high_theta_and_a_context_the_readme_examples_fit_in()
    {
        var config = SyntheticShapes.TinyLlama.Config;

        Assert.Equal(500000, config.RopeTheta);
        Assert.Equal(new RopeScaling("llama3", 8, 1, 4, 64), config.RopeScaling);
        Assert.Equal(2048, config.MaxPositionEmbeddings);
    }

    [Fact]
    public void Large_shapes_have_their_documented_dimensions()
    {
        var s135 = SyntheticShapes.Get("s135").Config;
        var m500 = SyntheticShapes.Get("m500").Config;

        Assert.Equal((HfArchitecture.Llama, 576, 30, 9, 3, 64, 1536, 50257, true, 10000.0, 2048),
            (s135.Architecture, s135.HiddenSize, s135.NumHiddenLayers, s135.NumAttentionHeads, s135.NumKeyValueHeads, s135.HeadDim, s135.IntermediateSize, s135.VocabSize, s135.TieWordEmbeddings, s135.RopeTheta, s135.MaxPositionEmbeddings));
        Assert.Equal((HfArchitecture.Qwen2, 896, 24, 14, 2, 64, 4864, 50257, true, 1e6, 4096),
            (m500.Architecture, m500.HiddenSize, m500.NumHiddenLayers, m500.NumAttentionHeads, m500.NumKeyValueHeads, m500.HeadDim, m500.IntermediateSize, m500.VocabSize, m500.TieWordEmbeddings, m500.RopeTheta, m500.MaxPositionEmbeddings));
        Assert.Equal(135_151_488, ParameterCount(s135));
        Assert.Equal(402_928_384, ParameterCount(m500));
    }

    [Fact]
    public void Weights_are_small_gaussians_norms_are_one_and_qwen3_head_norms_carry_noise()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyQwen3, 3, dir.Path);
        using var checkpoint = HfCheckpoint.Open(dir.Path);

        var gate = checkpoint.ReadFloat32(HfTensorNames.Mlp(0, "gate"));
        var mean = gate.Average();
        var std = Math.Sqrt(gate.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(std, 0.019, 0.021);
        Assert.All(checkpoint.ReadFloat32(HfTensorNames.InputNorm(1)), v => Assert.Equal(1f, v));
        Assert.All(checkpoint.ReadFloat32(HfTensorNames.FinalNorm), v => Assert.Equal(1f, v));
        var queryNorm = checkpoint.ReadFloat32(HfTensorNames.QueryKeyNorm(0, 'q'));
        Assert.Contains(queryNorm, v => Math.Abs(v - 1) > 0.05);
        Assert.All(queryNorm, v => Assert.InRange(v, 0.5, 1.5));
    }

    [Theory]
    [InlineData(SafeTensorDType.F16, "float16")]
    [InlineData(SafeTensorDType.BF16, "bfloat16")]
    public void Dtype_option_stores_half_precision_weights_and_says_so_in_config(SafeTensorDType dtype, string torchDtype)
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyQwen2, 1, dir.Combine("f32"));
        SyntheticModel.Write(SyntheticShapes.TinyQwen2, 1, dir.Combine("half"), dtype);
        using var full = HfCheckpoint.Open(dir.Combine("f32"));
        using var half = HfCheckpoint.Open(dir.Combine("half"));

        Assert.Equal(torchDtype, half.Config.TorchDtype);
        Assert.Equal(dtype, half.Describe(HfTensorNames.AttentionBias(1, 'k')).DType);
        var expected = full.ReadFloat32(HfTensorNames.EmbedTokens);
        var actual = half.ReadFloat32(HfTensorNames.EmbedTokens);
        Assert.Equal(expected.Length, actual.Length);

        // Half precision keeps 8 (bf16) or 11 (f16) significant bits; f16 subnormals are spaced 6e-8 apart.
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, (Math.Abs(p.First) / 128) + 6e-8));
    }

    [Fact]
    public void Every_generated_file_says_it_is_synthetic_and_never_trained()
    {
        using var dir = new TempDirectory();
        SyntheticModel.Write(SyntheticShapes.TinyLlama, 1, dir.Path);

        foreach (var file in GeneratedFiles.Where(f => f != "model.safetensors"))
        {
            var text = File.ReadAllText(dir.Combine(file));
            Assert.Contains("random weights, not a trained model", text, StringComparison.Ordinal);
        }

        using var checkpoint = HfCheckpoint.Open(dir.Path);
        using var weights = SafeTensorsFile.Open(dir.Combine("model.safetensors"));
        Assert.Equal("random weights, not a trained model", weights.Metadata["synthetic"]);
        Assert.Equal("pt", weights.Metadata["format"]);
    }

    [Fact]
    public void Config_json_is_an_hf_style_config_that_round_trips()
    {
        using var dir = new TempDirectory();
        var written = SyntheticModel.Write(SyntheticShapes.TinyLlama, 1, dir.Path).Config;

        var read = HfModelConfig.Load(dir.Combine("config.json"));
        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine("config.json")));

        Assert.Equal(written with { EosTokenIds = [] }, read with { EosTokenIds = [] });
        Assert.Equal(written.EosTokenIds, read.EosTokenIds);
        Assert.Equal("llama", json.RootElement.GetProperty("model_type").GetString());
        Assert.Equal("silu", json.RootElement.GetProperty("hidden_act").GetString());
    }

    private static long ParameterCount(HfModelConfig config) =>
        SyntheticWeights.Layout(config).Sum(t => SafeTensorInfo.ElementCountOf(t.Shape));
}
