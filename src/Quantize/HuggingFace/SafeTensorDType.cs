namespace Appliance.Quantize.HuggingFace;

/// <summary>The safetensors element types the converter reads and writes (all convert to float32).</summary>
public enum SafeTensorDType
{
    F32,
    F16,
    BF16,
}
