using System.Text.Json;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Synthetic;

/// <summary>Writes an <see cref="HfModelConfig"/> as the config.json transformers itself would write for the architecture.</summary>
internal static class HfConfigJsonWriter
{
    public static void Write(string path, HfModelConfig config, string comment)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, SyntheticJson.WriterOptions);
        json.WriteStartObject();
        json.WriteString("_comment", comment);
        json.WriteStartArray("architectures");
        json.WriteStringValue(config.ArchitectureName);
        json.WriteEndArray();
        var profile = config.Profile;
        json.WriteString("model_type", profile.ModelType);
        json.WriteNumber("attention_dropout", 0);
        if (!profile.HardWiredQkvBias)
        {
            json.WriteBoolean("attention_bias", config.AttentionBias);
            json.WriteNumber("head_dim", config.HeadDim);
        }

        WriteTokenIds(json, config);
        json.WriteString("hidden_act", "silu");
        json.WriteNumber("hidden_size", config.HiddenSize);
        json.WriteNumber("initializer_range", 0.02);
        json.WriteNumber("intermediate_size", config.IntermediateSize);
        json.WriteNumber("max_position_embeddings", config.MaxPositionEmbeddings);
        if (profile.SlidingWindowFields)
        {
            json.WriteNumber("max_window_layers", config.NumHiddenLayers);
            json.WriteBoolean("use_sliding_window", false);
            json.WriteNull("sliding_window");
        }
        else
        {
            json.WriteBoolean("mlp_bias", false);
            json.WriteNumber("pretraining_tp", 1);
        }

        json.WriteNumber("num_attention_heads", config.NumAttentionHeads);
        json.WriteNumber("num_hidden_layers", config.NumHiddenLayers);
        json.WriteNumber("num_key_value_heads", config.NumKeyValueHeads);
        json.WriteNumber("rms_norm_eps", config.RmsNormEps);
        WriteRopeScaling(json, config.RopeScaling);
        json.WriteNumber("rope_theta", config.RopeTheta);
        json.WriteBoolean("tie_word_embeddings", config.TieWordEmbeddings);
        if (config.TorchDtype is { } dtype)
        {
            json.WriteString("torch_dtype", dtype);
        }

        json.WriteBoolean("use_cache", true);
        json.WriteNumber("vocab_size", config.VocabSize);
        json.WriteEndObject();
    }

    private static void WriteTokenIds(Utf8JsonWriter json, HfModelConfig config)
    {
        if (config.BosTokenId is { } bos)
        {
            json.WriteNumber("bos_token_id", bos);
        }

        if (config.EosTokenIds.Length == 1)
        {
            json.WriteNumber("eos_token_id", config.EosTokenIds[0]);
        }
        else if (config.EosTokenIds.Length > 1)
        {
            json.WriteStartArray("eos_token_id");
            foreach (var eos in config.EosTokenIds)
            {
                json.WriteNumberValue(eos);
            }

            json.WriteEndArray();
        }

        if (config.PadTokenId is { } pad)
        {
            json.WriteNumber("pad_token_id", pad);
        }
    }

    private static void WriteRopeScaling(Utf8JsonWriter json, RopeScaling? scaling)
    {
        if (scaling is null)
        {
            json.WriteNull("rope_scaling");
            return;
        }

        json.WriteStartObject("rope_scaling");
        json.WriteNumber("factor", scaling.Factor);
        json.WriteNumber("high_freq_factor", scaling.HighFreqFactor);
        json.WriteNumber("low_freq_factor", scaling.LowFreqFactor);
        json.WriteNumber("original_max_position_embeddings", scaling.OriginalMaxPositionEmbeddings);
        json.WriteString("rope_type", scaling.Type);
        json.WriteEndObject();
    }
}
