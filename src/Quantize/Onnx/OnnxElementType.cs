using System.Diagnostics.CodeAnalysis;

namespace Appliance.Quantize.Onnx;

/// <summary>ONNX TensorProto.DataType values the converter writes.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Members mirror ONNX's DataType names (FLOAT, INT64, ...).")]
public enum OnnxElementType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Float16 = 10,
    Double = 11,
    BFloat16 = 16,
    UInt4 = 21,
    Int4 = 22,
}

internal static class OnnxElementTypeSizes
{
    /// <summary>Bytes that <paramref name="elementCount"/> elements occupy in raw_data (4-bit types pack two per byte).</summary>
    public static long ByteLength(this OnnxElementType type, long elementCount) => type switch
    {
        OnnxElementType.UInt8 or OnnxElementType.Int8 => elementCount,
        OnnxElementType.Float16 or OnnxElementType.BFloat16 => elementCount * 2,
        OnnxElementType.Float or OnnxElementType.Int32 => elementCount * 4,
        OnnxElementType.Int64 or OnnxElementType.Double => elementCount * 8,
        OnnxElementType.UInt4 or OnnxElementType.Int4 => (elementCount + 1) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ONNX element type."),
    };
}
