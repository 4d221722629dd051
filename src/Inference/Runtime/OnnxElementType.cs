using System.Diagnostics.CodeAnalysis;

namespace Appliance.Inference.Runtime;

/// <summary>
/// ONNX TensorProto.DataType: the element type of a tensor, for the runtime (which reads and binds tensors) and the
/// converter (which writes them) alike. ONNX Runtime's C API and its managed TensorElementType use the same numbers.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Members mirror ONNX's DataType names (FLOAT, INT64, ...).")]
public enum OnnxElementType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
    UInt4 = 21,
    Int4 = 22,
}

/// <summary>Sizes of element types and element counts of shapes.</summary>
public static class OnnxElementTypes
{
    /// <summary>Bytes that <paramref name="elementCount"/> elements occupy in memory or raw_data (4-bit types pack two per byte).</summary>
    public static long ByteLength(this OnnxElementType type, long elementCount) => type switch
    {
        OnnxElementType.UInt8 or OnnxElementType.Int8 or OnnxElementType.Bool => elementCount,
        OnnxElementType.UInt16 or OnnxElementType.Int16 or OnnxElementType.Float16 or OnnxElementType.BFloat16 => elementCount * 2,
        OnnxElementType.Float or OnnxElementType.Int32 or OnnxElementType.UInt32 => elementCount * 4,
        OnnxElementType.Int64 or OnnxElementType.UInt64 or OnnxElementType.Double => elementCount * 8,
        OnnxElementType.UInt4 or OnnxElementType.Int4 => (elementCount + 1) / 2,
        _ => throw new NotSupportedException($"Tensor element type {type} has no fixed size."),
    };

    /// <summary>Bytes of one element; 4-bit types have no whole-byte size.</summary>
    public static int SizeOf(this OnnxElementType type) => type is OnnxElementType.UInt4 or OnnxElementType.Int4
        ? throw new NotSupportedException($"Tensor element type {type} packs two elements per byte.")
        : (int)type.ByteLength(1);

    /// <summary>Number of elements in <paramref name="shape"/>; throws on negative dimensions.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor shape [{string.Join(", ", shape.ToArray())}] has a negative dimension.", nameof(shape));
            }

            count = checked(count * dim);
        }

        return count;
    }
}
