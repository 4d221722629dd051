using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>Turns float weights into the raw little-endian bytes of the graph's element type.</summary>
internal static class TensorEncoding
{
    /// <summary>
    /// Writes <paramref name="source"/> [rows, cols] row-major, transposed, into columns [columnOffset, columnOffset + rows)
    /// of the row-major [cols, destinationColumns] <paramref name="destination"/>: a PyTorch Linear weight [out, in]
    /// becomes its slice of a MatMul B operand [in, total out] that several projections may share.
    /// </summary>
    public static void TransposeInto(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination, int destinationColumns, int columnOffset)
    {
        if (source.Length != (long)rows * cols)
        {
            throw new ArgumentException($"Expected {rows}x{cols} values, got {source.Length}.", nameof(source));
        }

        if (columnOffset < 0 || columnOffset + rows > destinationColumns || destination.Length != (long)cols * destinationColumns)
        {
            throw new ArgumentException(
                $"Columns [{columnOffset}, {columnOffset + rows}) of a {cols}x{destinationColumns} destination do not fit one of {destination.Length} values.",
                nameof(destination));
        }

        const int Block = 64; // tiles keep both the reads and the strided writes inside the cache
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var r1 = Math.Min(r0 + Block, rows);
            for (var c0 = 0; c0 < cols; c0 += Block)
            {
                var c1 = Math.Min(c0 + Block, cols);
                for (var r = r0; r < r1; r++)
                {
                    var row = source.Slice(r * cols, cols);
                    for (var c = c0; c < c1; c++)
                    {
                        destination[(c * destinationColumns) + columnOffset + r] = row[c];
                    }
                }
            }
        }
    }

    /// <summary>Encodes as Float (no copy beyond the writer's) or Float16 (round to nearest even).</summary>
    /// <param name="tensorName">Named in the error when a value does not fit float16.</param>
    public static string AddInitializer(
        OnnxModelWriter writer, string name, OnnxElementType type, long[] shape, ReadOnlySpan<float> values, string tensorName)
    {
        if (type == OnnxElementType.Float)
        {
            return writer.AddInitializer(name, OnnxElementType.Float, shape, MemoryMarshal.AsBytes(values));
        }

        RequireFloat16(type);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = ToHalf(values[i], tensorName, i);
        }

        return writer.AddInitializer(name, OnnxElementType.Float16, shape, MemoryMarshal.AsBytes(halves.AsSpan()));
    }

    /// <summary>Float64 tables (rotary caches) rounded once to the graph's element type.</summary>
    public static string AddInitializer(
        OnnxModelWriter writer, string name, OnnxElementType type, long[] shape, ReadOnlySpan<double> values)
    {
        if (type == OnnxElementType.Float)
        {
            var floats = new float[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                floats[i] = (float)values[i];
            }

            return writer.AddInitializer(name, OnnxElementType.Float, shape, MemoryMarshal.AsBytes(floats.AsSpan()));
        }

        RequireFloat16(type);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = ToHalf(values[i], name, i);
        }

        return writer.AddInitializer(name, OnnxElementType.Float16, shape, MemoryMarshal.AsBytes(halves.AsSpan()));
    }

    private static Half ToHalf(double value, string tensorName, int index)
    {
        var half = (Half)value;
        if (Half.IsInfinity(half) && double.IsFinite(value))
        {
            throw new ConversionException(
                $"Tensor '{tensorName}' value {value} at flat index {index} does not fit float16 (max 65504); convert with --precision fp32.");
        }

        return half;
    }

    private static void RequireFloat16(OnnxElementType type)
    {
        if (type != OnnxElementType.Float16)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Weights are encoded as Float or Float16 only.");
        }
    }
}
