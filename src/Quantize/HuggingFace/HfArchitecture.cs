namespace Appliance.Quantize.HuggingFace;

/// <summary>The decoder families the converter understands, named after their Hugging Face model classes.</summary>
public enum HfArchitecture
{
    Llama,
    Qwen2,
    Qwen3,
}
