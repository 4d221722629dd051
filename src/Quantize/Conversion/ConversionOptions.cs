namespace Appliance.Quantize.Conversion;

/// <summary>What `quantize convert` was asked to do.</summary>
/// <param name="HfDirectory">Hugging Face checkpoint: config.json, safetensors, tokenizer files.</param>
/// <param name="OutputDirectory">Model directory to create; must not exist or be empty.</param>
/// <param name="ContextLength">Rotary table length and search.max_length; defaults to max_position_embeddings.</param>
/// <param name="ModelId">Recorded in the manifest's source, e.g. "Qwen/Qwen2.5-0.5B-Instruct".</param>
/// <param name="License">Recorded in the manifest, e.g. "apache-2.0".</param>
/// <param name="Quantization">How int4/int8 weights are quantized; null = the defaults.</param>
internal sealed record ConversionOptions(
    string HfDirectory,
    string OutputDirectory,
    ConversionPrecision Precision = ConversionPrecision.Fp32,
    bool AllLogits = false,
    int? ContextLength = null,
    string? ModelId = null,
    string? License = null,
    QuantizationRecipe? Quantization = null)
{
    /// <summary>The recipe in effect: the one given, or the defaults.</summary>
    public QuantizationRecipe Recipe => Quantization ?? new QuantizationRecipe();
}
