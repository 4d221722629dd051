using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Tests.HuggingFace;

public sealed class HfModelConfigTests
{
    // The fields of a Llama 3.2 1B-style config.json.
    private const string LlamaJson = """
        {
          "architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
          "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
          "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
          "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                           "original_max_position_embeddings": 8192, "rope_type": "llama3"},
          "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "vocab_size": 128256
        }
        """;

    // A Qwen2.5 0.5B-style config.json: no attention_bias and no head_dim field.
    private const string Qwen2Json = """
        {
          "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643,
          "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864,
          "max_position_embeddings": 32768, "max_window_layers": 24, "model_type": "qwen2", "num_attention_heads": 14,
          "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
          "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true,
          "use_sliding_window": false, "vocab_size": 151936
        }
        """;

    // A Qwen3 0.6B-style config.json: head_dim 128 while hidden / heads = 64.
    private const string Qwen3Json = """
        {
          "architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "bos_token_id": 151643, "eos_token_id": 151645,
          "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "intermediate_size": 3072,
          "max_position_embeddings": 40960, "model_type": "qwen3", "num_attention_heads": 16, "num_hidden_layers": 28,
          "num_key_value_heads": 8, "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000,
          "sliding_window": null, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_sliding_window": false,
          "vocab_size": 151936
        }
        """;

    private const string MinimalLlama = """
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
         "num_attention_heads": 4, "vocab_size": 100
        """;

    [Fact]
    public void Llama_config_reads_every_field_and_the_llama3_rope_scaling()
    {
        var config = HfModelConfig.Parse(LlamaJson, "llama/config.json");

        Assert.Equal(HfArchitecture.Llama, config.Architecture);
        Assert.Equal("LlamaForCausalLM", config.ArchitectureName);
        Assert.Equal((2048, 8192, 16, 32, 8, 64, 128256), (config.HiddenSize, config.IntermediateSize, config.NumHiddenLayers,
            config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim, config.VocabSize));
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal(500000, config.RopeTheta);
        Assert.Equal(new RopeScaling("llama3", 32, 1, 4, 8192), config.RopeScaling);
        Assert.True(config.TieWordEmbeddings);
        Assert.False(config.AttentionBias);
        Assert.False(config.OutputProjectionBias);
        Assert.False(config.HasQueryKeyNorm);
        Assert.Equal(131072, config.MaxPositionEmbeddings);
        Assert.Equal(128000, config.BosTokenId);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
        Assert.Null(config.PadTokenId);
        Assert.Equal("bfloat16", config.TorchDtype);
        Assert.Equal(4, config.GroupSize);
    }

    [Fact]
    public void Qwen2_always_has_qkv_bias_but_no_output_bias_and_derives_head_dim()
    {
        var config = HfModelConfig.Parse(Qwen2Json, "qwen2/config.json");

        Assert.Equal(HfArchitecture.Qwen2, config.Architecture);
        Assert.True(config.AttentionBias);
        Assert.False(config.OutputProjectionBias);
        Assert.Equal(64, config.HeadDim);
        Assert.Equal(7, config.GroupSize);
        Assert.Null(config.RopeScaling);
        Assert.Equal(1e6, config.RopeTheta);
        Assert.Equal([151643], config.EosTokenIds);
    }

    [Fact]
    public void Qwen2_ignores_an_explicit_false_attention_bias()
    {
        var config = HfModelConfig.Parse(Qwen2Json.Replace("\"use_cache\": true", "\"attention_bias\": false", StringComparison.Ordinal), "q");

        Assert.True(config.AttentionBias);
    }

    [Fact]
    public void Qwen3_keeps_its_explicit_head_dim_and_has_query_key_norms()
    {
        var config = HfModelConfig.Parse(Qwen3Json, "qwen3/config.json");

        Assert.Equal(HfArchitecture.Qwen3, config.Architecture);
        Assert.Equal(128, config.HeadDim);
        Assert.True(config.HasQueryKeyNorm);
        Assert.False(config.AttentionBias);
        Assert.Equal([151645], config.EosTokenIds);
    }

    [Fact]
    public void Llama_and_Qwen3_attention_bias_adds_an_output_projection_bias()
    {
        var llama = HfModelConfig.Parse(LlamaJson.Replace("\"attention_bias\": false", "\"attention_bias\": true", StringComparison.Ordinal), "l");
        var qwen3 = HfModelConfig.Parse(Qwen3Json.Replace("\"attention_bias\": false", "\"attention_bias\": true", StringComparison.Ordinal), "q");

        Assert.True(llama.AttentionBias && llama.OutputProjectionBias);
        Assert.True(qwen3.AttentionBias && qwen3.OutputProjectionBias);
    }

    [Fact]
    public void Missing_optional_fields_take_the_transformers_defaults()
    {
        var config = HfModelConfig.Parse(MinimalLlama + "}", "minimal.json");

        Assert.Equal(4, config.NumKeyValueHeads);
        Assert.Equal(16, config.HeadDim);
        Assert.Equal(10000, config.RopeTheta);
        Assert.Equal(1e-6, config.RmsNormEps);
        Assert.Null(config.RopeScaling);
        Assert.False(config.TieWordEmbeddings);
        Assert.False(config.AttentionBias);
        Assert.Equal(2048, config.MaxPositionEmbeddings);
        Assert.Null(config.BosTokenId);
        Assert.Empty(config.EosTokenIds);
        Assert.Null(config.TorchDtype);
    }

    [Fact]
    public void Null_fields_count_as_absent()
    {
        var config = HfModelConfig.Parse(MinimalLlama + """, "head_dim": null, "num_key_value_heads": null, "eos_token_id": null}""", "n.json");

        Assert.Equal(16, config.HeadDim);
        Assert.Equal(4, config.NumKeyValueHeads);
        Assert.Empty(config.EosTokenIds);
    }

    [Fact]
    public void Rope_parameters_of_newer_transformers_supply_theta_and_scaling()
    {
        var json = MinimalLlama + """
            , "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                                 "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}}
            """;

        var config = HfModelConfig.Parse(json, "v5.json");

        Assert.Equal(500000, config.RopeTheta);
        Assert.Equal(new RopeScaling("llama3", 8, 1, 4, 8192), config.RopeScaling);
    }

    [Fact]
    public void Rope_scaling_accepts_the_legacy_type_key_and_default_type()
    {
        var legacy = HfModelConfig.Parse(MinimalLlama + """
            , "rope_scaling": {"type": "llama3", "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4, "original_max_position_embeddings": 64}}
            """, "legacy.json");
        var defaultType = HfModelConfig.Parse(MinimalLlama + """, "rope_scaling": {"rope_type": "default"}}""", "default.json");

        Assert.Equal(8, legacy.RopeScaling!.Factor);
        Assert.Null(defaultType.RopeScaling);
    }

    [Theory]
    [InlineData("\"architectures\": [\"MistralForCausalLM\"]", "MistralForCausalLM", "LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"], \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}", "\"yarn\"", "llama3")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"], \"hidden_act\": \"gelu\"", "hidden_act", "gelu")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"], \"num_key_value_heads\": 3", "num_key_value_heads", "divide")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"], \"use_sliding_window\": true", "use_sliding_window", "not supported")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"], \"mlp_bias\": true", "mlp_bias", "not supported")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"], \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8}", "low_freq_factor", "missing")]
    [InlineData("\"architectures\": []", "architectures", "LlamaForCausalLM")]
    public void Unsupported_or_inconsistent_configs_fail_naming_the_file_and_field(string fields, string expected1, string expected2)
    {
        var json = $$"""
            { {{fields}}, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100 }
            """;

        var error = Assert.Throws<HfCheckpointException>(() => HfModelConfig.Parse(json, "some/config.json"));

        Assert.Contains("some/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected1, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected2, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hidden_size", "missing")]
    [InlineData("vocab_size", "missing")]
    public void Missing_required_fields_are_named(string field, string problem)
    {
        var json = (MinimalLlama + "}").Replace($"\"{field}\"", "\"renamed\"", StringComparison.Ordinal);

        var error = Assert.Throws<HfCheckpointException>(() => HfModelConfig.Parse(json, "c.json"));

        Assert.Contains($"\"{field}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrongly_typed_values_are_reported_with_the_value()
    {
        var error = Assert.Throws<HfCheckpointException>(() =>
            HfModelConfig.Parse((MinimalLlama + "}").Replace("\"hidden_size\": 64", "\"hidden_size\": \"64\"", StringComparison.Ordinal), "c.json"));

        Assert.Contains("\"hidden_size\" must be an integer, found \"64\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_and_missing_files_name_the_file()
    {
        var invalid = Assert.Throws<HfCheckpointException>(() => HfModelConfig.Parse("{ not json", "broken/config.json"));
        var missing = Assert.Throws<HfCheckpointException>(() => HfModelConfig.Load("/nonexistent/dir/config.json"));

        Assert.Contains("broken/config.json: not valid JSON", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/dir/config.json", missing.Message, StringComparison.Ordinal);
    }
}
