using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Appliance.Inference.Models;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.Quantize.Tests.Cli;
using Appliance.Quantize.Tests.Onnx;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

public sealed class ModelConverterTests(TinyModelsFixture models) : IClassFixture<TinyModelsFixture>, IDisposable
{
    private readonly TempDirectory directory = new("h3-convert");

    public void Dispose() => directory.Dispose();

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Manifest_lists_every_file_with_its_size_and_sha256(string shape)
    {
        var output = models.Outputs[shape];
        var manifest = ModelManifest.Load(output);

        var onDisk = Directory.GetFiles(output).Select(Path.GetFileName).Where(f => f != ModelManifest.FileName).Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, manifest.Files.Select(f => f.Path));
        Assert.Contains("model.onnx", manifest.Files.Select(f => f.Path));
        Assert.Contains("model.onnx.data", manifest.Files.Select(f => f.Path));
        Assert.Contains("genai_config.json", manifest.Files.Select(f => f.Path));
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(output, file.Path);
            Assert.Equal(new FileInfo(path).Length, file.Size);
            Assert.Equal(FileSha256.Compute(path), file.Sha256);
        }

        ManifestVerifier.Verify(output);
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Output_opens_as_a_model_directory_with_its_external_weights(string shape)
    {
        var model = ModelDirectory.Open(models.Outputs[shape]);

        Assert.Equal(Path.Combine(models.Outputs[shape], "model.onnx"), model.DecoderPath);
        Assert.Equal([Path.Combine(models.Outputs[shape], "model.onnx.data")], model.ExternalDataPaths);
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Tokenizer_files_present_in_the_checkpoint_are_copied_verbatim(string shape)
    {
        var copied = 0;
        foreach (var name in ModelConverter.TokenizerFiles)
        {
            var source = Path.Combine(models.Checkpoints[shape], name);
            var target = Path.Combine(models.Outputs[shape], name);
            Assert.Equal(File.Exists(source), File.Exists(target));
            if (File.Exists(source))
            {
                Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
                copied++;
            }
        }

        Assert.True(copied >= 2, "tokenizer.json and tokenizer_config.json are expected in synthetic checkpoints");
    }

    [Fact]
    public void Manifest_records_source_architecture_config_hash_and_recipe()
    {
        var manifest = ModelManifest.Load(models.Outputs[SyntheticShapes.TinyQwen2.Name]);

        Assert.Equal("Qwen2ForCausalLM", manifest.Source.Architecture);
        Assert.Equal(FileSha256.Compute(Path.Combine(models.Checkpoints[SyntheticShapes.TinyQwen2.Name], "config.json")), manifest.Source.ConfigSha256);
        Assert.Equal("fp32", manifest.Recipe["precision"]);
        Assert.Equal("last_position", manifest.Recipe["logits"]);
        Assert.Equal("256", manifest.Recipe["context_length"]);
        Assert.Equal(ModelConverter.ConverterVersion, manifest.Recipe["converter_version"]);
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Genai_config_describes_the_graph_with_the_checkpoint_config_values(string shape)
    {
        var hf = HfModelConfig.Load(Path.Combine(models.Checkpoints[shape], "config.json"));
        var genai = GenAiConfig.Load(Path.Combine(models.Outputs[shape], GenAiConfig.FileName));

        GenAiConfigValidator.Validate(genai, shape);
        Assert.Equal(shape["tiny-".Length..], genai.Model.Type);
        Assert.Equal(hf.VocabSize, genai.Model.VocabSize);
        Assert.Equal(hf.MaxPositionEmbeddings, genai.Model.ContextLength);
        Assert.Equal(hf.EosTokenIds, genai.Model.EosTokenId);
        Assert.Equal(hf.BosTokenId, genai.Model.BosTokenId);
        Assert.Equal(hf.PadTokenId, genai.Model.PadTokenId);
        var decoder = genai.Model.Decoder;
        Assert.Equal("model.onnx", decoder.Filename);
        Assert.Equal(hf.HeadDim, decoder.HeadSize);
        Assert.Equal(hf.HiddenSize, decoder.HiddenSize);
        Assert.Equal(hf.NumAttentionHeads, decoder.NumAttentionHeads);
        Assert.Equal(hf.NumKeyValueHeads, decoder.NumKeyValueHeads);
        Assert.Equal(hf.NumHiddenLayers, decoder.NumHiddenLayers);
        Assert.Null(decoder.Inputs.PositionIds);
        Assert.True(genai.Search.PastPresentShareBuffer);
        Assert.Equal(hf.MaxPositionEmbeddings, genai.Search.MaxLength);
    }

    [Fact]
    public void Generation_config_adds_stop_ids_and_sampling_defaults()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyQwen2, "hf");
        var eos = HfModelConfig.Load(Path.Combine(checkpoint, "config.json")).EosTokenIds;
        File.WriteAllText(
            Path.Combine(checkpoint, "generation_config.json"),
            $$"""{"eos_token_id": [{{eos[0]}}, 7], "do_sample": true, "temperature": 0.6, "top_p": 0.9, "top_k": 20}""");

        var output = Convert(checkpoint);
        var genai = GenAiConfig.Load(Path.Combine(output, GenAiConfig.FileName));

        Assert.Equal([.. eos, 7], genai.Model.EosTokenId);
        Assert.True(genai.Search.DoSample);
        Assert.Equal(0.6, genai.Search.Temperature);
        Assert.Equal(0.9, genai.Search.TopP);
        Assert.Equal(20, genai.Search.TopK);
        Assert.True(File.Exists(Path.Combine(output, "generation_config.json")));
    }

    [Fact]
    public void Malformed_generation_config_fails_naming_file_and_field()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyQwen2, "hf");
        File.WriteAllText(Path.Combine(checkpoint, "generation_config.json"), """{"eos_token_id": "end"}""");

        var error = Assert.Throws<ConversionException>(() => Convert(checkpoint));

        Assert.Contains("generation_config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"eos_token_id\" = \"end\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Leftover_staging_directory_is_reported_not_deleted()
    {
        var output = directory.Combine("out");
        Directory.CreateDirectory(output + ".partial");

        var error = Assert.Throws<ConversionException>(() => Convert(models.Checkpoints[SyntheticShapes.TinyLlama.Name]));

        Assert.Contains(output + ".partial", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(output + ".partial"));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Converting_twice_gives_byte_identical_files()
    {
        var checkpoint = models.Checkpoints[SyntheticShapes.TinyQwen3.Name];
        var first = Convert(checkpoint, "first", ConversionPrecision.Fp16);
        var second = Convert(checkpoint, "second", ConversionPrecision.Fp16);

        var names = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, name => Assert.Equal(File.ReadAllBytes(Path.Combine(first, name!)), File.ReadAllBytes(Path.Combine(second, name!))));
    }

    [Fact]
    public void Tied_embeddings_are_stored_once_and_untied_ones_twice()
    {
        static List<string> VocabSizedTensors(string output)
        {
            var initializers = ProtoMessage.Load(Path.Combine(output, "model.onnx")).Message(7).Messages(5);
            return [.. initializers.Where(t => t.Ints(1).Contains(SyntheticShapes.TinyVocabSize)).Select(t => t.String(8))];
        }

        Assert.Equal(["model.embed_tokens.weight"], VocabSizedTensors(models.Outputs[SyntheticShapes.TinyQwen2.Name]));
        Assert.Equal(["model.embed_tokens.weight", "lm_head.weight"], VocabSizedTensors(models.Outputs[SyntheticShapes.TinyLlama.Name]));
    }

    [Theory]
    [InlineData("tiny-llama", 0, 0)]
    [InlineData("tiny-qwen2", 1, 0)]
    [InlineData("tiny-qwen3", 0, 2)]
    public void Each_layer_is_fused_norms_stacked_projections_and_one_group_query_attention(string shape, int biasAddsPerLayer, int headNormsPerLayer)
    {
        var config = HfModelConfig.Load(Path.Combine(models.Checkpoints[shape], "config.json"));
        var nodes = ProtoMessage.Load(Path.Combine(models.Outputs[shape], "model.onnx")).Message(7).Messages(1);
        int Count(string op) => nodes.Count(n => n.String(4) == op);

        var layers = config.NumHiddenLayers;
        Assert.Equal(layers, Count("GroupQueryAttention"));
        Assert.Equal(2 * layers, Count("SkipSimplifiedLayerNormalization")); // post-attention per layer, input norm of layers 1.., final norm
        Assert.Equal(1 + (headNormsPerLayer * layers), Count("SimplifiedLayerNormalization"));
        Assert.Equal(4 * layers, Count("MatMul")); // qkv, o, gate_up, down
        Assert.Equal(1, Count("FusedMatMul")); // lm_head over the [vocab, hidden] table
        Assert.Equal(biasAddsPerLayer * layers, Count("Add"));
        var attention = nodes.First(n => n.String(4) == "GroupQueryAttention");
        Assert.Equal("com.microsoft", attention.String(7));
        var attributes = attention.Messages(5).ToDictionary(a => a.String(1));
        Assert.Equal(config.NumAttentionHeads, attributes["num_heads"].Int(3));
        Assert.Equal(config.NumKeyValueHeads, attributes["kv_num_heads"].Int(3));
        Assert.Equal(1, attributes["do_rotary"].Int(3));
        Assert.Equal(0, attributes["rotary_interleaved"].Int(3));
        Assert.Equal((float)(1 / Math.Sqrt(config.HeadDim)), attributes["scale"].Float(2));
    }

    [Theory]
    [InlineData("tiny-llama", true)]
    [InlineData("tiny-qwen2", true)]
    [InlineData("tiny-qwen3", false)]
    public void Attention_reads_packed_qkv_unless_query_and_key_are_normed_per_head(string shape, bool packed)
    {
        var config = HfModelConfig.Load(Path.Combine(models.Checkpoints[shape], "config.json"));
        var graph = ProtoMessage.Load(Path.Combine(models.Outputs[shape], "model.onnx")).Message(7);
        var nodes = graph.Messages(1);
        var qkvWidth = (config.NumAttentionHeads + (2 * config.NumKeyValueHeads)) * config.HeadDim;

        var qkvWeight = graph.Messages(5).Single(t => t.String(8) == "model.layers.0.self_attn.qkv_proj.MatMul.weight");
        Assert.Equal([config.HiddenSize, qkvWidth], qkvWeight.Ints(1));
        var attentionInputs = nodes.First(n => n.String(4) == "GroupQueryAttention").Strings(1);
        Assert.Equal(packed, attentionInputs[1].Length == 0 && attentionInputs[2].Length == 0);
        Assert.Equal(packed ? 1 : 2, nodes.Count(n => n.String(4) == "Split" && n.String(3).StartsWith("/model/layers.0/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Stacked_weights_hold_each_projection_transposed_in_its_own_columns(string shape)
    {
        var config = HfModelConfig.Load(Path.Combine(models.Checkpoints[shape], "config.json"));
        using var checkpoint = HfCheckpoint.Open(models.Checkpoints[shape]);
        var initializers = ProtoMessage.Load(Path.Combine(models.Outputs[shape], "model.onnx")).Message(7).Messages(5);
        var data = File.ReadAllBytes(Path.Combine(models.Outputs[shape], "model.onnx.data"));
        var layer = config.NumHiddenLayers - 1;
        var queryWidth = config.NumAttentionHeads * config.HeadDim;
        var kvWidth = config.NumKeyValueHeads * config.HeadDim;

        AssertStacked($"model.layers.{layer}.self_attn.qkv_proj.MatMul.weight", ("self_attn.q_proj", queryWidth), ("self_attn.k_proj", kvWidth), ("self_attn.v_proj", kvWidth));
        AssertStacked($"model.layers.{layer}.mlp.gate_up_proj.MatMul.weight", ("mlp.gate_proj", config.IntermediateSize), ("mlp.up_proj", config.IntermediateSize));
        if (config.AttentionBias)
        {
            var bias = initializers.Single(t => t.String(8) == $"model.layers.{layer}.self_attn.qkv_proj.Add.bias");
            float[] expected = [.. new[] { "q", "k", "v" }.SelectMany(p => checkpoint.ReadFloat32($"model.layers.{layer}.self_attn.{p}_proj.bias"))];
            Assert.Equal(expected, MemoryMarshal.Cast<byte, float>(bias.Has(9) ? bias.Bytes(9) : ExternalBytes(bias, data)).ToArray());
        }

        void AssertStacked(string initializer, params (string Module, int Width)[] parts)
        {
            var stored = MemoryMarshal.Cast<byte, float>(ExternalBytes(initializers.Single(t => t.String(8) == initializer), data));
            var columns = parts.Sum(p => p.Width);
            var offset = 0;
            foreach (var (module, width) in parts)
            {
                var weight = checkpoint.ReadFloat32($"model.layers.{layer}.{module}.weight"); // [width, hidden]
                for (var o = 0; o < width; o++)
                {
                    for (var i = 0; i < config.HiddenSize; i++)
                    {
                        Assert.Equal(weight[(o * config.HiddenSize) + i], stored[(i * columns) + offset + o]);
                    }
                }

                offset += width;
            }
        }
    }

    [Fact]
    public void A_stacked_weight_that_does_not_fit_float16_names_its_source_tensors()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyLlama, "hf");
        RewriteTensor(checkpoint, "model.layers.0.self_attn.k_proj.weight", values => values[3] = 70000f);

        var error = Assert.Throws<ConversionException>(() => Convert(checkpoint, precision: ConversionPrecision.Fp16));

        Assert.Contains("model.layers.0.self_attn.qkv_proj.MatMul.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.layers.0.self_attn.k_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("70000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_length_option_sets_max_length_and_the_rotary_table_rows()
    {
        var output = Convert(models.Checkpoints[SyntheticShapes.TinyLlama.Name], contextLength: 64);

        var genai = GenAiConfig.Load(Path.Combine(output, GenAiConfig.FileName));
        Assert.Equal(64, genai.Model.ContextLength);
        Assert.Equal(64, genai.Search.MaxLength);
        var cos = ProtoMessage.Load(Path.Combine(output, "model.onnx")).Message(7).Messages(5).Single(t => t.String(8) == "cos_cache");
        Assert.Equal([64L, 8], cos.Ints(1));
    }

    [Fact]
    public void A_context_length_whose_kv_cache_exceeds_a_gibibyte_draws_a_warning()
    {
        var config = SyntheticShapes.S135.Config; // 30 layers x 3 kv heads x 64: 46 KiB per fp32 position

        Assert.Null(ModelConverter.LargeCacheWarning(config, 4096, ConversionPrecision.Fp32));
        var warning = ModelConverter.LargeCacheWarning(config, 131072, ConversionPrecision.Fp32);
        Assert.NotNull(warning);
        Assert.Contains("5.6 GiB", warning, StringComparison.Ordinal);
        Assert.Contains("--context-length", warning, StringComparison.Ordinal);
        Assert.Contains("2.8 GiB", ModelConverter.LargeCacheWarning(config, 131072, ConversionPrecision.Fp16), StringComparison.Ordinal);
    }

    [Fact]
    public void Context_length_beyond_max_position_embeddings_is_rejected()
    {
        var error = Assert.Throws<ConversionException>(() => Convert(models.Checkpoints[SyntheticShapes.TinyLlama.Name], contextLength: 2049));

        Assert.Contains("2049", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_position_embeddings (2048)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_empty_output_directory_is_rejected_and_left_alone()
    {
        var output = directory.Combine("occupied");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");

        var error = Assert.Throws<ConversionException>(() => ModelConverter.Convert(new ConversionOptions(models.Checkpoints[SyntheticShapes.TinyLlama.Name], output)));

        Assert.Contains(output, error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(output).Select(Path.GetFileName));
    }

    [Fact]
    public void Bias_named_by_config_but_missing_from_the_checkpoint_fails_naming_the_tensor_and_leaves_no_output()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyLlama, "hf");
        EditConfig(checkpoint, config => config["attention_bias"] = true);
        var output = directory.Combine("out");

        var error = Assert.ThrowsAny<Exception>(() => ModelConverter.Convert(new ConversionOptions(checkpoint, output)));

        Assert.Contains("model.layers.0.self_attn.q_proj.bias", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.False(Directory.Exists(output + ".partial"));
    }

    [Fact]
    public void Checkpoint_tensors_the_graph_would_ignore_are_named()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyQwen2, "hf");
        EditConfig(checkpoint, config => config["architectures"] = new JsonArray("LlamaForCausalLM")); // Llama: no q/k/v bias

        var error = Assert.Throws<ConversionException>(() => Convert(checkpoint));

        Assert.Contains("model.layers.0.self_attn.q_proj.bias", error.Message, StringComparison.Ordinal);
        Assert.Contains("LlamaForCausalLM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_command_writes_the_directory_and_lists_its_files()
    {
        var output = directory.Combine("out");
        var (exitCode, stdout, stderr) = ConvertRun.Invoke(models.Checkpoints[SyntheticShapes.TinyQwen3.Name], output, "--precision", "fp16", "--context-length", "128");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("model.onnx.data", stdout, StringComparison.Ordinal);
        Assert.Contains("converted Qwen3ForCausalLM (fp16)", stdout, StringComparison.Ordinal);
        var manifest = ModelManifest.Load(output);
        Assert.Equal("fp16", manifest.Recipe["precision"]);
        Assert.Equal("128", manifest.Recipe["context_length"]);
    }

    [Fact]
    public void Convert_command_reports_an_unsupported_architecture_by_name()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyLlama, "hf");
        EditConfig(checkpoint, config => config["architectures"] = new JsonArray("MistralForCausalLM"));
        var output = directory.Combine("out");

        var (exitCode, _, stderr) = ConvertRun.Invoke(checkpoint, output);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("convert: ", stderr, StringComparison.Ordinal);
        Assert.Contains("MistralForCausalLM", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Convert_command_reports_an_unsupported_dtype_with_the_tensor_name()
    {
        var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, SyntheticShapes.TinyLlama, "hf");
        SafeTensorsHeader.SetDType(Path.Combine(checkpoint, "model.safetensors"), "model.norm.weight", "I32"); // same width as F32

        var (exitCode, _, stderr) = ConvertRun.Invoke(checkpoint, directory.Combine("out"));

        Assert.Equal(1, exitCode);
        Assert.Contains("I32", stderr, StringComparison.Ordinal);
        Assert.Contains("model.norm.weight", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_command_rejects_an_unknown_precision()
    {
        var (exitCode, _, stderr) = ConvertRun.Invoke(models.Checkpoints[SyntheticShapes.TinyLlama.Name], directory.Combine("out"), "--precision", "bf16");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("bf16", stderr, StringComparison.Ordinal);
    }

    private string Convert(string checkpoint, string name = "out", ConversionPrecision precision = ConversionPrecision.Fp32, int? contextLength = null)
    {
        var output = directory.Combine(name);
        ModelConverter.Convert(new ConversionOptions(checkpoint, output, precision, ContextLength: contextLength));
        return output;
    }

    private static ReadOnlySpan<byte> ExternalBytes(ProtoMessage tensor, byte[] data)
    {
        var location = tensor.Entries(13);
        var offset = int.Parse(location["offset"], System.Globalization.CultureInfo.InvariantCulture);
        return data.AsSpan(offset, int.Parse(location["length"], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void RewriteTensor(string checkpointDirectory, string name, Action<float[]> edit)
    {
        var path = Path.Combine(checkpointDirectory, "model.safetensors");
        List<(SafeTensorInfo Info, float[] Values)> tensors;
        using (var checkpoint = HfCheckpoint.Open(checkpointDirectory))
        {
            tensors = [.. checkpoint.TensorNames.Order(StringComparer.Ordinal).Select(n => (checkpoint.Describe(n), checkpoint.ReadFloat32(n)))];
        }

        edit(tensors.Single(t => t.Info.Name == name).Values);
        using var writer = new SafeTensorsWriter(path);
        foreach (var (info, values) in tensors)
        {
            writer.Add(info.Name, info.DType, info.Shape, values);
        }

        writer.Save();
    }

    private static void EditConfig(string checkpoint, Action<JsonObject> edit)
    {
        var path = Path.Combine(checkpoint, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }
}
