namespace Appliance.Quantize.HuggingFace;

/// <summary>
/// Every fact that sets one supported decoder family apart, in one row of <see cref="HfArchitectures.All"/>: the
/// config reader, the converter, `quantize synth` and the reference forward pass all read it here. The tensor names,
/// common to all of them, are <see cref="HfTensorNames"/>.
/// </summary>
/// <param name="ClassName">config.json "architectures"[0], e.g. LlamaForCausalLM.</param>
/// <param name="ModelType">config.json "model_type"; genai_config.json's model.type is the same name.</param>
/// <param name="HardWiredQkvBias">
/// q/k/v always carry a bias and config.json has neither attention_bias nor head_dim (Qwen2); otherwise
/// attention_bias decides and head_dim is written.
/// </param>
/// <param name="OutputProjectionBias">o_proj carries a bias when attention_bias is set (Llama, Qwen3; Qwen2's never does).</param>
/// <param name="QueryKeyNorm">Each query and key head is RMS-normalized before the rotary embedding (Qwen3).</param>
/// <param name="SlidingWindowFields">
/// config.json has Qwen's sliding-window fields (max_window_layers, use_sliding_window); Llama's has mlp_bias and
/// pretraining_tp instead.
/// </param>
/// <param name="DefaultMaxPositionEmbeddings">transformers' class default when config.json names none.</param>
public sealed record HfArchitectureProfile(
    HfArchitecture Architecture,
    string ClassName,
    string ModelType,
    bool HardWiredQkvBias,
    bool OutputProjectionBias,
    bool QueryKeyNorm,
    bool SlidingWindowFields,
    int DefaultMaxPositionEmbeddings);
