namespace Appliance.Quantize.HuggingFace;

/// <summary>Names and sizes of <see cref="SafeTensorDType"/> as the safetensors header spells them.</summary>
public static class SafeTensorDTypes
{
    public static int ElementSize(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static string HeaderName(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F32 => "F32",
        SafeTensorDType.F16 => "F16",
        SafeTensorDType.BF16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool TryParse(string headerName, out SafeTensorDType dtype)
    {
        switch (headerName)
        {
            case "F32":
                dtype = SafeTensorDType.F32;
                return true;
            case "F16":
                dtype = SafeTensorDType.F16;
                return true;
            case "BF16":
                dtype = SafeTensorDType.BF16;
                return true;
            default:
                dtype = default;
                return false;
        }
    }

    /// <summary>
    /// Byte size of every safetensors dtype, supported or not, so a header can be bounds-checked in full
    /// even when some tensors are never read.
    /// </summary>
    internal static int? AnyElementSize(string headerName) => headerName switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => null,
    };

    /// <summary>The torch_dtype config.json uses for tensors stored as <paramref name="dtype"/>.</summary>
    public static string TorchDtype(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F32 => "float32",
        SafeTensorDType.F16 => "float16",
        SafeTensorDType.BF16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
