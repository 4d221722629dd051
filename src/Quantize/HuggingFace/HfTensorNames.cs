using System.Globalization;

namespace Appliance.Quantize.HuggingFace;

/// <summary>
/// The Hugging Face tensor names of a Llama / Qwen2 / Qwen3 decoder (weights are [out, in], PyTorch layout), the one
/// place the converter, `quantize synth` and the reference forward pass take them from. The converted graph names its
/// own initializers after the same modules.
/// </summary>
public static class HfTensorNames
{
    public const string EmbedModule = "model.embed_tokens";
    public const string LmHeadModule = "lm_head";
    public const string EmbedTokens = EmbedModule + ".weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = LmHeadModule + ".weight";

    /// <summary>The attention module of a layer, e.g. model.layers.0.self_attn.</summary>
    public static string AttentionModule(int layer) => Layer(layer, "self_attn");

    /// <summary>The MLP module of a layer, e.g. model.layers.0.mlp.</summary>
    public static string MlpModule(int layer) => Layer(layer, "mlp");

    public static string InputNorm(int layer) => Layer(layer, "input_layernorm.weight");

    public static string PostAttentionNorm(int layer) => Layer(layer, "post_attention_layernorm.weight");

    /// <summary><paramref name="projection"/> is q, k, v or o.</summary>
    public static string AttentionWeight(int layer, char projection) => $"{AttentionModule(layer)}.{projection}_proj.weight";

    /// <summary><paramref name="projection"/> is q, k, v or o.</summary>
    public static string AttentionBias(int layer, char projection) => $"{AttentionModule(layer)}.{projection}_proj.bias";

    /// <summary>Qwen3's per-head RMSNorm weight; <paramref name="projection"/> is q or k.</summary>
    public static string QueryKeyNorm(int layer, char projection) => $"{AttentionModule(layer)}.{projection}_norm.weight";

    /// <summary><paramref name="projection"/> is gate, up or down.</summary>
    public static string Mlp(int layer, string projection) => $"{MlpModule(layer)}.{projection}_proj.weight";

    private static string Layer(int layer, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"model.layers.{layer}.{suffix}");
}
