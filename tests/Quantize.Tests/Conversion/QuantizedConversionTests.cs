using Appliance.Inference.Models;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Quantization;
using Appliance.Quantize.Synthetic;
using Appliance.Quantize.Tests.Cli;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>What `convert --precision int4|int8` writes: MatMulNBits projections, quantized tables, the recipe and the error report.</summary>
public sealed class QuantizedConversionTests(QuantizedModelsFixture models) : IClassFixture<QuantizedModelsFixture>, IDisposable
{
    private readonly TempDirectory directory = new("h3-quantized-convert");

    public void Dispose() => directory.Dispose();

    public static TheoryData<string, string> ShapesAndPrecisions()
    {
        var data = new TheoryData<string, string>();
        foreach (var shape in new[] { "tiny-llama", "tiny-qwen2", "tiny-qwen3" })
        {
            data.Add(shape, "int4");
            data.Add(shape, "int8");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesAndPrecisions))]
    public void Every_projection_and_the_lm_head_is_one_MatMulNBits_with_the_recipe_attributes(string shape, string precision)
    {
        var config = HfModelConfig.Load(Path.Combine(models.Checkpoints[shape], "config.json"));
        var graph = new OnnxGraph(models.Output(shape, precision));
        var bits = precision == "int4" ? 4 : 8;

        var matmuls = graph.NodesOf("MatMulNBits");
        Assert.Equal((4 * config.NumHiddenLayers) + 1, matmuls.Length);
        Assert.Empty(graph.NodesOf("MatMul"));
        Assert.Empty(graph.NodesOf("FusedMatMul"));
        Assert.Empty(graph.NodesOf("Add")); // Qwen2's q/k/v biases are MatMulNBits inputs
        Assert.All(matmuls, node =>
        {
            var attributes = OnnxGraph.IntAttributes(node);
            Assert.Equal(bits, attributes["bits"]);
            Assert.Equal(32, attributes["block_size"]);
            Assert.Equal(QuantizationRecipe.Int8ComputeAccuracyLevel, attributes["accuracy_level"]);
            Assert.Equal("com.microsoft", node.String(7));
        });

        var qkvWidth = (config.NumAttentionHeads + (2 * config.NumKeyValueHeads)) * config.HeadDim;
        var qkv = OnnxGraph.IntAttributes(matmuls.Single(n => n.String(3) == "/model/layers.0/attn/qkv_proj/MatMulNBits"));
        Assert.Equal(config.HiddenSize, qkv["K"]);
        Assert.Equal(qkvWidth, qkv["N"]);
        var down = OnnxGraph.IntAttributes(matmuls.Single(n => n.String(3) == "/model/layers.0/mlp/down_proj/MatMulNBits"));
        Assert.Equal(config.IntermediateSize, down["K"]);
        Assert.Equal(config.HiddenSize, down["N"]);
        Assert.Equal([(long)qkvWidth, config.HiddenSize / 32, 32 * bits / 8], graph.Shape($"model.layers.0.self_attn.qkv_proj.MatMulNBits.weight_Q{bits}"));
    }

    [Fact]
    public void Qwen2_biases_are_the_MatMulNBits_bias_input()
    {
        var config = HfModelConfig.Load(Path.Combine(models.Checkpoints["tiny-qwen2"], "config.json"));
        var graph = new OnnxGraph(models.Output("tiny-qwen2", "int4"));

        var inputs = OnnxGraph.Inputs(graph.NodesOf("MatMulNBits").Single(n => n.String(3) == "/model/layers.1/attn/qkv_proj/MatMulNBits"));

        Assert.Equal(6, inputs.Length);
        Assert.Equal(string.Empty, inputs[4]); // g_idx
        Assert.Equal("model.layers.1.self_attn.qkv_proj.MatMulNBits.bias", inputs[5]);
        Assert.Equal([(long)(config.NumAttentionHeads + (2 * config.NumKeyValueHeads)) * config.HeadDim], graph.Shape(inputs[5]));
    }

    [Fact]
    public void A_tied_table_is_quantized_once_and_its_codes_stored_once_for_the_gather_and_the_lm_head()
    {
        var output = models.Output("tiny-qwen2", "int4");
        var graph = new OnnxGraph(output);

        var gather = Assert.Single(graph.NodesOf("GatherBlockQuantized"));
        var head = graph.NodesOf("MatMulNBits").Single(n => n.String(3) == "/lm_head/MatMulNBits");
        Assert.Equal(OnnxGraph.Inputs(gather)[0], OnnxGraph.Inputs(head)[1]);
        Assert.Equal([(long)SyntheticShapes.TinyVocabSize, 2, 16], graph.Shape(OnnxGraph.Inputs(gather)[0]));
        Assert.Equal(2, OnnxGraph.IntAttributes(gather)["quantize_axis"]);
        Assert.Single(graph.Initializers.Values, t => t.Ints(1).FirstOrDefault() == SyntheticShapes.TinyVocabSize && t.Ints(1).Length == 3 && t.String(8).EndsWith("_Q4", StringComparison.Ordinal));
        Assert.Single(graph.NodesOf("Reshape"), n => OnnxGraph.Inputs(n)[0] == gather.Strings(2)[0]);
        Assert.Equal("shared", ModelManifest.Load(output).Recipe["embedding_tables"]);
        Assert.Equal(["model.embed_tokens (tied lm_head)"], QuantizationReport.TryLoad(output)!.Tensors.Where(t => !t.Tensor.StartsWith("model.layers.", StringComparison.Ordinal)).Select(t => t.Tensor));
    }

    [Fact]
    public void An_untied_head_and_embedding_are_quantized_separately()
    {
        var output = models.Output("tiny-llama", "int8");
        var graph = new OnnxGraph(output);

        var gather = Assert.Single(graph.NodesOf("GatherBlockQuantized"));
        var head = graph.NodesOf("MatMulNBits").Single(n => n.String(3) == "/lm_head/MatMulNBits");
        Assert.NotEqual(OnnxGraph.Inputs(gather)[0], OnnxGraph.Inputs(head)[1]);
        Assert.Equal([(long)SyntheticShapes.TinyVocabSize, 64], graph.Shape(OnnxGraph.Inputs(gather)[0]));
        Assert.Equal("untied", ModelManifest.Load(output).Recipe["embedding_tables"]);
        Assert.Equal(["model.embed_tokens", "lm_head"], QuantizationReport.TryLoad(output)!.Tensors.Where(t => !t.Tensor.StartsWith("model.layers.", StringComparison.Ordinal)).Select(t => t.Tensor));
    }

    [Fact]
    public void A_tied_table_wanted_in_two_formats_is_stored_in_both()
    {
        var output = Convert("tiny-qwen3", ConversionPrecision.Int4, new QuantizationRecipe { Embeddings = WeightFormat.Float, LmHead = WeightFormat.Int8 });
        var graph = new OnnxGraph(output);

        Assert.Single(graph.NodesOf("Gather"));
        Assert.Empty(graph.NodesOf("GatherBlockQuantized"));
        var head = OnnxGraph.IntAttributes(graph.NodesOf("MatMulNBits").Single(n => n.String(3) == "/lm_head/MatMulNBits"));
        Assert.Equal(8, head["bits"]);
        Assert.Equal([(long)SyntheticShapes.TinyVocabSize, 96], graph.Shape("model.embed_tokens.weight"));
        var recipe = ModelManifest.Load(output).Recipe;
        Assert.Equal("separate", recipe["embedding_tables"]);
        Assert.Equal("fp", recipe["embeddings"]);
        Assert.Equal("int8", recipe["lm_head"]);
    }

    [Fact]
    public void Float_tables_keep_the_gather_and_the_transposed_head_over_one_table()
    {
        var output = Convert("tiny-qwen2", ConversionPrecision.Int8, new QuantizationRecipe { Embeddings = WeightFormat.Float, LmHead = WeightFormat.Float });
        var graph = new OnnxGraph(output);

        Assert.Equal(OnnxGraph.Inputs(graph.NodesOf("Gather").Single())[0], OnnxGraph.Inputs(graph.NodesOf("FusedMatMul").Single())[1]);
        Assert.Equal(8, graph.NodesOf("MatMulNBits").Length);
        Assert.Equal("shared", ModelManifest.Load(output).Recipe["embedding_tables"]);
    }

    [Theory]
    [InlineData("int4", 0.05, 0.12)]
    [InlineData("int8", 0.001, 0.008)]
    public void The_report_holds_each_tensor_s_own_reconstruction_error(string precision, double lowest, double highest)
    {
        var output = models.Output("tiny-qwen3", precision);
        var report = QuantizationReport.TryLoad(output)!;
        using var checkpoint = HfCheckpoint.Open(models.Checkpoints["tiny-qwen3"]);
        var config = checkpoint.Config;

        Assert.Equal((4 * config.NumHiddenLayers) + 1, report.Tensors.Count);
        Assert.All(report.Tensors, t => Assert.InRange(t.RelativeError, lowest, highest));
        float[] gateUp = [.. checkpoint.ReadFloat32("model.layers.2.mlp.gate_proj.weight"), .. checkpoint.ReadFloat32("model.layers.2.mlp.up_proj.weight")];
        var expected = BlockQuantizer.Quantize(gateUp, 2 * config.IntermediateSize, config.HiddenSize, new QuantizationRecipe().Options(ConversionPrecisionExtensions.Parse(precision).LinearFormat())).Error;
        var entry = report.Tensors.Single(t => t.Tensor == "model.layers.2.mlp.gate_up_proj");
        Assert.Equal(new TensorQuantizationError(
            entry.Tensor, precision, 2 * config.IntermediateSize, config.HiddenSize, 32, expected.MaxAbsError, expected.MeanAbsError, expected.Rmse, expected.RelativeFrobeniusError), entry);
        Assert.Contains(QuantizationReport.FileName, ModelManifest.Load(output).Files.Select(f => f.Path));
    }

    [Fact]
    public void The_manifest_records_the_recipe_and_that_the_source_weights_are_synthetic()
    {
        var recipe = ModelManifest.Load(models.Output("tiny-llama", "int4")).Recipe;

        Assert.Equal("int4", recipe["precision"]);
        Assert.Equal("32", recipe["block_size"]);
        Assert.Equal("false", recipe["symmetric"]);
        Assert.Equal("rtn", recipe["method"]);
        Assert.Equal("float32", recipe["scales"]);
        Assert.Equal("int4", recipe["embeddings"]);
        Assert.Equal("int4", recipe["lm_head"]);
        Assert.Equal("4", recipe["accuracy_level"]);
        Assert.Equal(SyntheticNotice.Weights, recipe[ModelConverter.SyntheticWeightsKey]);
    }

    [Fact]
    public void Quantizing_the_same_checkpoint_twice_gives_byte_identical_files()
    {
        var recipe = new QuantizationRecipe { Method = QuantizationMethod.HalfQuadratic, BlockSize = 64 };
        var first = Convert("tiny-qwen3", ConversionPrecision.Int4, recipe, "first");
        var second = Convert("tiny-qwen3", ConversionPrecision.Int4, recipe, "second");

        var names = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(QuantizationReport.FileName, names);
        Assert.Equal(names, Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, name => Assert.Equal(File.ReadAllBytes(Path.Combine(first, name!)), File.ReadAllBytes(Path.Combine(second, name!))));
    }

    [Fact]
    public void Convert_command_takes_the_recipe_options_and_reports_each_tensor()
    {
        var output = directory.Combine("cli");
        var (exitCode, stdout, stderr) = ConvertRun.Invoke(
            models.Checkpoints["tiny-qwen3"], output,
            "--precision", "int8", "--block-size", "64", "--symmetric", "--method", "hqq", "--embeddings", "fp", "--lm-head", "int4", "--accuracy-level", "1");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("converted Qwen3ForCausalLM (int8, block 64, hqq, symmetric, embeddings fp, lm_head int4)", stdout, StringComparison.Ordinal);
        var recipe = ModelManifest.Load(output).Recipe;
        Assert.Equal(("int8", "64", "true", "hqq", "fp", "int4", "1"), (recipe["precision"], recipe["block_size"], recipe["symmetric"], recipe["method"], recipe["embeddings"], recipe["lm_head"], recipe["accuracy_level"]));
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('[')).ToArray();
        Assert.Equal(14, lines.Length); // 12 projections, the float embedding table, the int4 lm_head
        Assert.Contains("warning: int8 weights with --accuracy-level 1 have no packed CPU kernel", stderr, StringComparison.Ordinal);
        Assert.StartsWith("[ 1/14] model.embed_tokens: float | ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^\[14/14\] lm_head: int4, relative error \d+\.\d\d % \| 100 %, \d+\.\d s elapsed, eta 0\.0 s$", lines[^1]);
    }

    [Theory]
    [InlineData("int8", null, 1, true)]
    [InlineData("int4", "int8", 0, true)]
    [InlineData("int8", null, 4, false)]
    [InlineData("int4", null, 1, false)]
    public void Int8_weights_without_int8_compute_draw_a_warning(string precision, string? head, int accuracyLevel, bool warned)
    {
        var recipe = new QuantizationRecipe { LmHead = head is null ? null : WeightFormatExtensions.Parse(head, "--lm-head"), AccuracyLevel = accuracyLevel };
        var options = new ConversionOptions("hf", "out", ConversionPrecisionExtensions.Parse(precision), Quantization: recipe);

        Assert.Equal(warned, ModelConverter.SlowInt8Warning(options) is not null);
    }

    [Theory]
    [InlineData(new[] { "--precision", "fp32", "--embeddings", "int4" }, "--embeddings and --lm-head int4/int8 need --precision int4 or int8, not fp32.")]
    [InlineData(new[] { "--precision", "fp16", "--lm-head", "int8" }, "--embeddings and --lm-head int4/int8 need --precision int4 or int8, not fp16.")]
    public void Quantized_tables_in_a_float_model_are_refused(string[] options, string message)
    {
        var output = directory.Combine("refused");

        var (exitCode, _, stderr) = ConvertRun.Invoke(models.Checkpoints["tiny-llama"], output, options);

        Assert.Equal(1, exitCode);
        Assert.Equal($"convert: {message}", stderr.Trim());
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("--block-size", "48")]
    [InlineData("--method", "gptq")]
    [InlineData("--lm-head", "int2")]
    [InlineData("--accuracy-level", "2")]
    public void Unsupported_recipe_values_are_rejected_naming_the_value(string option, string value)
    {
        var (exitCode, _, stderr) = ConvertRun.Invoke(models.Checkpoints["tiny-llama"], directory.Combine("bad"), "--precision", "int4", option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(value, stderr, StringComparison.Ordinal);
    }

    private string Convert(string shape, ConversionPrecision precision, QuantizationRecipe recipe, string name = "out")
    {
        var output = directory.Combine(name);
        ModelConverter.Convert(new ConversionOptions(models.Checkpoints[shape], output, precision, Quantization: recipe));
        return output;
    }
}
