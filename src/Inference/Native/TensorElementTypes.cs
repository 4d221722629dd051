namespace Appliance.Inference.Native;

/// <summary>Maps managed element types and tensor element types to each other and to their sizes.</summary>
internal static class TensorElementTypes
{
    // typeof(T) comparisons fold to a constant per instantiation, under the JIT and Native AOT alike.
    public static TensorElementType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return TensorElementType.Float;
        if (typeof(T) == typeof(Half)) return TensorElementType.Float16;
        if (typeof(T) == typeof(double)) return TensorElementType.Double;
        if (typeof(T) == typeof(long)) return TensorElementType.Int64;
        if (typeof(T) == typeof(int)) return TensorElementType.Int32;
        if (typeof(T) == typeof(short)) return TensorElementType.Int16;
        if (typeof(T) == typeof(sbyte)) return TensorElementType.Int8;
        if (typeof(T) == typeof(ulong)) return TensorElementType.UInt64;
        if (typeof(T) == typeof(uint)) return TensorElementType.UInt32;
        if (typeof(T) == typeof(ushort)) return TensorElementType.UInt16;
        if (typeof(T) == typeof(byte)) return TensorElementType.UInt8;
        if (typeof(T) == typeof(bool)) return TensorElementType.Bool;
        throw new NotSupportedException($"{typeof(T).Name} has no ONNX tensor element type.");
    }

    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        _ => throw new NotSupportedException($"Tensor element type {type} has no fixed size."),
    };

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
