namespace Appliance.Quantize.HuggingFace;

/// <summary>
/// config.json "rope_scaling" of type llama3: low frequencies are divided by <see cref="Factor"/>, high ones kept,
/// the band between blended (transformers' _compute_llama3_parameters).
/// </summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings)
{
    public const string Llama3Type = "llama3";
}
