using System.Globalization;

namespace Appliance.Quantize.HuggingFace;

/// <summary>The Hugging Face tensor names of a Llama / Qwen2 / Qwen3 decoder (weights are [out, in], PyTorch layout).</summary>
public static class HfTensorNames
{
    public const string EmbedTokens = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";

    public static string InputNorm(int layer) => Layer(layer, "input_layernorm.weight");

    public static string PostAttentionNorm(int layer) => Layer(layer, "post_attention_layernorm.weight");

    /// <summary><paramref name="projection"/> is q, k, v or o.</summary>
    public static string AttentionWeight(int layer, char projection) => Layer(layer, $"self_attn.{projection}_proj.weight");

    /// <summary><paramref name="projection"/> is q, k, v or o.</summary>
    public static string AttentionBias(int layer, char projection) => Layer(layer, $"self_attn.{projection}_proj.bias");

    /// <summary>Qwen3's per-head RMSNorm weight; <paramref name="projection"/> is q or k.</summary>
    public static string QueryKeyNorm(int layer, char projection) => Layer(layer, $"self_attn.{projection}_norm.weight");

    /// <summary><paramref name="projection"/> is gate, up or down.</summary>
    public static string Mlp(int layer, string projection) => Layer(layer, $"mlp.{projection}_proj.weight");

    private static string Layer(int layer, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"model.layers.{layer}.{suffix}");
}
