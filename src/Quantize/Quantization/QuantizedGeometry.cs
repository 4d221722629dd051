namespace Appliance.Quantize.Quantization;

/// <summary>Sizes of a quantized [rows, columns] matrix: blocks per row and the bytes each row of codes and zero points takes.</summary>
internal readonly record struct QuantizedGeometry(int Rows, int Columns, int Bits, int BlockSize, QuantizedLayout Layout)
{
    public int BlocksPerRow => (Columns + BlockSize - 1) / BlockSize;

    /// <summary>Bytes of one block's codes (MatMulNBits's blob_size).</summary>
    public int BlobBytes => BlockSize * Bits / 8;

    /// <summary>Codes stored per row: whole blocks for MatMulNBits (the last one padded), exactly the columns for GatherBlockQuantized.</summary>
    public int CodesPerRow => Layout == QuantizedLayout.MatMulNBits ? BlocksPerRow * BlockSize : Columns;

    public int RowBytes => PackedCodes.ByteCount(CodesPerRow, Bits);

    public int ZeroPointBytesPerRow => PackedCodes.ByteCount(BlocksPerRow, Bits);

    /// <summary>Throws <see cref="ArgumentException"/> naming the tensor when the operators could not address these shapes.</summary>
    public void Validate(string tensorName)
    {
        if (Rows <= 0 || Columns <= 0)
        {
            throw new ArgumentException($"Tensor '{tensorName}': cannot quantize a [{Rows}, {Columns}] matrix; both dimensions must be positive.");
        }

        if (Layout == QuantizedLayout.GatherBlockQuantized && (long)Columns * Bits % 8 != 0)
        {
            throw new ArgumentException(
                $"Tensor '{tensorName}': GatherBlockQuantized packs rows of {Columns} {Bits}-bit codes without padding, so the row length must fill whole bytes; {Columns} columns do not.");
        }

        if ((long)Rows * RowBytes > Array.MaxLength || (long)Rows * BlocksPerRow > Array.MaxLength)
        {
            throw new ArgumentException($"Tensor '{tensorName}': [{Rows}, {Columns}] is too large to quantize in one piece.");
        }
    }
}
