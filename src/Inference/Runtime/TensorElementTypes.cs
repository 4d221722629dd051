using Microsoft.ML.OnnxRuntime.Tensors;

namespace Appliance.Inference.Runtime;

/// <summary>Sizes of tensor element types and element counts of shapes.</summary>
internal static class TensorElementTypes
{
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
