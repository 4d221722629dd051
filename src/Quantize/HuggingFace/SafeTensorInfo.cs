namespace Appliance.Quantize.HuggingFace;

/// <summary>One tensor of a checkpoint: its element type, shape and the file holding it.</summary>
public sealed record SafeTensorInfo(string Name, SafeTensorDType DType, long[] Shape, string File)
{
    public long ElementCount => ElementCountOf(Shape);

    internal static long ElementCountOf(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            count = checked(count * dim);
        }

        return count;
    }
}
