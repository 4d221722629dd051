using System.Text;
using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Models;

public sealed class GenAiConfigTests
{
    // Shaped like what ONNX Runtime GenAI's model builder writes for a Qwen2 model (values shortened).
    private const string ModelBuilderConfig = """
        {
            "model": {
                "bos_token_id": 151643,
                "context_length": 32768,
                "decoder": {
                    "session_options": {
                        "log_id": "onnxruntime-genai",
                        "provider_options": [ { "cuda": { "enable_cuda_graph": "0" } } ]
                    },
                    "filename": "model.onnx",
                    "head_size": 64,
                    "hidden_size": 896,
                    "inputs": {
                        "input_ids": "input_ids",
                        "attention_mask": "attention_mask",
                        "position_ids": "position_ids",
                        "past_key_names": "past_key_values.%d.key",
                        "past_value_names": "past_key_values.%d.value"
                    },
                    "outputs": {
                        "logits": "logits",
                        "present_key_names": "present.%d.key",
                        "present_value_names": "present.%d.value"
                    },
                    "num_attention_heads": 14,
                    "num_hidden_layers": 24,
                    "num_key_value_heads": 2
                },
                "eos_token_id": [151645, 151643],
                "pad_token_id": 151643,
                "type": "qwen2",
                "vocab_size": 151936
            },
            "search": {
                "diversity_penalty": 0.0,
                "do_sample": true,
                "early_stopping": true,
                "length_penalty": 1.0,
                "max_length": 32768,
                "min_length": 0,
                "no_repeat_ngram_size": 0,
                "num_beams": 1,
                "num_return_sequences": 1,
                "past_present_share_buffer": true,
                "repetition_penalty": 1.1,
                "temperature": 0.7,
                "top_k": 20,
                "top_p": 0.8,
                "random_seed": -1
            }
        }
        """;

    [Fact]
    public void Parse_reads_every_field_of_a_model_builder_config()
    {
        var config = Parse(ModelBuilderConfig);

        Assert.Equal("qwen2", config.Model.Type);
        Assert.Equal([151645, 151643], config.Model.EosTokenId);
        Assert.Equal(151643, config.Model.BosTokenId);
        Assert.Equal(151643, config.Model.PadTokenId);
        Assert.Equal(151936, config.Model.VocabSize);
        Assert.Equal(32768, config.Model.ContextLength);
        var decoder = config.Model.Decoder;
        Assert.Equal("model.onnx", decoder.Filename);
        Assert.Equal((64, 896, 14, 24, 2), (decoder.HeadSize, decoder.HiddenSize, decoder.NumAttentionHeads, decoder.NumHiddenLayers, decoder.NumKeyValueHeads));
        Assert.Equal("position_ids", decoder.Inputs.PositionIds);
        Assert.Equal("past_key_values.%d.value", decoder.Inputs.PastValueNames);
        Assert.Equal("present.%d.key", decoder.Outputs.PresentKeyNames);
        Assert.Equal("onnxruntime-genai", decoder.SessionOptions.LogId);
        Assert.Equal("0", decoder.SessionOptions.ProviderOptions![0]["cuda"]["enable_cuda_graph"]);
        Assert.True(config.Search.PastPresentShareBuffer);
        Assert.True(config.Search.DoSample);
        Assert.Equal((20, 0.8, 0.7, 1.1), (config.Search.TopK, config.Search.TopP, config.Search.Temperature, config.Search.RepetitionPenalty));
        Assert.Equal(32768, config.MaxSequenceLength);
    }

    [Fact]
    public void Eos_token_id_written_as_an_integer_loads_as_one_id_and_saves_as_an_integer()
    {
        var config = Parse(ModelBuilderConfig.Replace("[151645, 151643]", "2", StringComparison.Ordinal));
        Assert.Equal([2], config.Model.EosTokenId);

        var reloaded = RoundTrip(config, out var json);
        Assert.Equal([2], reloaded.Model.EosTokenId);
        Assert.Contains("\"eos_token_id\": 2,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Eos_token_id_array_round_trips_as_an_array()
    {
        var reloaded = RoundTrip(Parse(ModelBuilderConfig), out var json);

        Assert.Equal([151645, 151643], reloaded.Model.EosTokenId);
        Assert.Matches(@"""eos_token_id"": \[\s*151645,\s*151643\s*\]", json);
    }

    [Fact]
    public void Round_trip_keeps_fields_this_build_does_not_model()
    {
        var reloaded = RoundTrip(Parse(ModelBuilderConfig), out var json);

        Assert.Equal(-1, reloaded.Search.ExtensionData!["random_seed"].GetInt32());
        Assert.Contains("\"random_seed\": -1", json, StringComparison.Ordinal);
        Assert.Contains("\"snake_case_only\"", Save(new GenAiConfig { Model = { Decoder = { Filename = "snake_case_only" } } }), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_file_line_and_byte()
    {
        var broken = "{\n  \"model\": {\n    \"vocab_size\": 32,,\n  }\n}";

        var error = Assert.Throws<ModelDirectoryException>(() => Parse(broken, "broken/genai_config.json"));

        Assert.StartsWith("broken/genai_config.json: malformed JSON at line 3, byte 22 (JSON path $.model): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eos_token_id_of_the_wrong_type_is_rejected_with_its_json_path()
    {
        var error = Assert.Throws<ModelDirectoryException>(
            () => Parse(ModelBuilderConfig.Replace("[151645, 151643]", "\"</s>\"", StringComparison.Ordinal)));

        Assert.Contains("$.model.eos_token_id", error.Message, StringComparison.Ordinal);
        Assert.Contains("a token id must be an integer or an array of integers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_by_path()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine(GenAiConfig.FileName);

        var error = Assert.Throws<ModelDirectoryException>(() => GenAiConfig.Load(path));

        Assert.Equal($"{path}: file is missing.", error.Message);
    }

    [Theory]
    [InlineData(0, 2048, 2048)]
    [InlineData(512, 2048, 512)]
    [InlineData(4096, 2048, 2048)]
    public void Max_sequence_length_is_search_max_length_capped_by_the_context_length(int maxLength, int contextLength, int expected)
    {
        var config = new GenAiConfig { Model = { ContextLength = contextLength }, Search = { MaxLength = maxLength } };

        Assert.Equal(expected, config.MaxSequenceLength);
    }

    private static GenAiConfig Parse(string json, string sourceName = "test/genai_config.json")
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return GenAiConfig.Parse(stream, sourceName);
    }

    private static string Save(GenAiConfig config)
    {
        using var directory = new TempDirectory();
        var path = directory.Combine(GenAiConfig.FileName);
        config.Save(path);
        return File.ReadAllText(path);
    }

    private static GenAiConfig RoundTrip(GenAiConfig config, out string json)
    {
        json = Save(config);
        return Parse(json);
    }
}
