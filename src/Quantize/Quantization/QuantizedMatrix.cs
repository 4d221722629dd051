using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Quantization;

/// <summary>
/// A [Rows, Columns] float matrix quantized block-wise along its rows, in the tensors com.microsoft MatMulNBits or
/// GatherBlockQuantized read: packed codes (<see cref="Data"/>), one scale per block (<see cref="Scales"/>, [Rows, BlocksPerRow])
/// and, unless symmetric, one packed zero point per block (<see cref="ZeroPoints"/>, [Rows, ZeroPointBytesPerRow]).
/// For a PyTorch linear weight [out, in] that is MatMulNBits with N = Rows, K = Columns; for a token embedding
/// [vocab, hidden], GatherBlockQuantized with gather_axis 0 and quantize_axis 1.
/// </summary>
public sealed class QuantizedMatrix
{
    private readonly QuantizedGeometry _geometry;
    private readonly byte[] _data;
    private readonly float[] _scales;
    private readonly byte[] _zeroPoints;

    internal QuantizedMatrix(
        QuantizedGeometry geometry, BlockQuantizationOptions options, byte[] data, float[] scales, byte[] zeroPoints, ReconstructionStats error)
    {
        _geometry = geometry;
        Options = options;
        _data = data;
        _scales = scales;
        _zeroPoints = zeroPoints;
        Error = error;
    }

    /// <summary>N of MatMulNBits (output features) or the gathered axis of an embedding (vocabulary).</summary>
    public int Rows => _geometry.Rows;

    /// <summary>K of MatMulNBits (input features) or the quantized axis of an embedding (hidden size).</summary>
    public int Columns => _geometry.Columns;

    public BlockQuantizationOptions Options { get; }

    public int Bits => _geometry.Bits;

    public int BlockSize => _geometry.BlockSize;

    public bool HasZeroPoints => !Options.Symmetric;

    public QuantizedLayout Layout => _geometry.Layout;

    public int BlocksPerRow => _geometry.BlocksPerRow;

    /// <summary>Bytes per row of <see cref="Data"/>.</summary>
    public int RowBytes => _geometry.RowBytes;

    public int ZeroPointBytesPerRow => _geometry.ZeroPointBytesPerRow;

    /// <summary>Packed codes, row after row.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Block scales as stored: exactly representable in float16 when <see cref="ScalePrecision.Float16"/> was asked for.</summary>
    public ReadOnlyMemory<float> Scales => _scales;

    /// <summary>Packed zero points, row after row; empty when symmetric.</summary>
    public ReadOnlyMemory<byte> ZeroPoints => _zeroPoints;

    /// <summary>Reconstruction error against the weights this was quantized from.</summary>
    public ReconstructionStats Error { get; }

    public OnnxElementType ScaleElementType => Options.ScalePrecision == ScalePrecision.Float16 ? OnnxElementType.Float16 : OnnxElementType.Float;

    /// <summary>MatMulNBits B: [N, blocks, blob_size]; GatherBlockQuantized data: [rows, columns * bits / 8].</summary>
    public long[] DataShape() => Layout == QuantizedLayout.MatMulNBits
        ? [Rows, BlocksPerRow, _geometry.BlobBytes]
        : [Rows, RowBytes];

    public long[] ScalesShape() => [Rows, BlocksPerRow];

    public long[] ZeroPointsShape() => [Rows, ZeroPointBytesPerRow];

    /// <summary>Scales as raw little-endian bytes of <see cref="ScaleElementType"/>, for an ONNX initializer.</summary>
    public byte[] EncodeScales()
    {
        if (Options.ScalePrecision == ScalePrecision.Float32)
        {
            return MemoryMarshal.AsBytes(_scales.AsSpan()).ToArray();
        }

        var halves = new Half[_scales.Length];
        for (var i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)_scales[i];
        }

        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    /// <summary>The stored code (0 .. 2^bits - 1) of one weight.</summary>
    public int Code(int row, int column)
    {
        CheckElement(row, column);
        return PackedCodes.Read(RowData(row), column, Bits);
    }

    public float Scale(int row, int block)
    {
        CheckBlock(row, block);
        return _scales[((long)row * BlocksPerRow) + block];
    }

    /// <summary>The stored zero point, or the operators' default 2^(bits-1) when symmetric.</summary>
    public int ZeroPoint(int row, int block)
    {
        CheckBlock(row, block);
        return HasZeroPoints
            ? PackedCodes.Read(_zeroPoints.AsSpan((int)((long)row * ZeroPointBytesPerRow), ZeroPointBytesPerRow), block, Bits)
            : Options.DefaultZeroPoint;
    }

    /// <summary>Row <paramref name="row"/> as the operators dequantize it: (code - zero point) * scale, in float.</summary>
    public void DequantizeRow(int row, Span<float> destination)
    {
        CheckElement(row, 0);
        if (destination.Length < Columns)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; a row has {Columns}.", nameof(destination));
        }

        var codes = RowData(row);
        for (var block = 0; block < BlocksPerRow; block++)
        {
            var grid = new BlockGrid(Scale(row, block), ZeroPoint(row, block));
            var end = Math.Min(Columns, (block + 1) * BlockSize);
            for (var column = block * BlockSize; column < end; column++)
            {
                destination[column] = grid.Reconstruct(PackedCodes.Read(codes, column, Bits));
            }
        }
    }

    /// <summary>The whole matrix dequantized, [Rows, Columns] row-major.</summary>
    public float[] Dequantize()
    {
        var result = new float[(long)Rows * Columns];
        for (var row = 0; row < Rows; row++)
        {
            DequantizeRow(row, result.AsSpan((int)((long)row * Columns), Columns));
        }

        return result;
    }

    /// <summary>
    /// The same codes, scales and zero points in another layout (no requantization): a tied embedding quantized once can
    /// feed both GatherBlockQuantized and the MatMulNBits of the output projection.
    /// </summary>
    public QuantizedMatrix WithLayout(QuantizedLayout layout)
    {
        if (layout == Layout)
        {
            return this;
        }

        var target = _geometry with { Layout = layout };
        target.Validate("quantized matrix");
        var data = new byte[(long)Rows * target.RowBytes];
        var copied = Math.Min(RowBytes, target.RowBytes);
        for (var row = 0; row < Rows; row++)
        {
            var destination = data.AsSpan((int)((long)row * target.RowBytes), target.RowBytes);
            RowData(row)[..copied].CopyTo(destination);
            var padding = ZeroPoint(row, BlocksPerRow - 1);
            for (var column = Columns; column < target.CodesPerRow; column++)
            {
                PackedCodes.Write(destination, column, Bits, padding);
            }
        }

        return new QuantizedMatrix(target, Options, data, _scales, _zeroPoints, Error);
    }

    private ReadOnlySpan<byte> RowData(int row) => _data.AsSpan((int)((long)row * RowBytes), RowBytes);

    private void CheckElement(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
    }

    private void CheckBlock(int row, int block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, BlocksPerRow);
    }
}
