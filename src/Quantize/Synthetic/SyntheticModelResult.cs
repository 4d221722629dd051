using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Synthetic;

/// <summary>The config written for a synthetic model and how many parameters its safetensors file holds.</summary>
public sealed record SyntheticModelResult(HfModelConfig Config, long ParameterCount);
