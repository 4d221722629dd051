namespace Appliance.Quantize.Quantization;

/// <summary>The quantizer's output arrays; each block writes only its own bytes, so rows can be filled in parallel.</summary>
internal sealed class BlockOutput(QuantizedGeometry geometry, BlockQuantizationOptions options, byte[] data, float[] scales, byte[] zeroPoints)
{
    public QuantizedGeometry Geometry { get; } = geometry;

    public BlockQuantizationOptions Options { get; } = options;

    /// <summary>Encodes <paramref name="values"/> (block <paramref name="block"/> of row <paramref name="row"/>) on <paramref name="grid"/> and stores it.</summary>
    /// <param name="codes">Scratch of BlockSize bytes.</param>
    public void Write(int row, int block, ReadOnlySpan<float> values, BlockGrid grid, Span<byte> codes, ref ReconstructionErrorAccumulator error)
    {
        var start = block * Geometry.BlockSize;
        grid.Encode(values, codes, Options.MaxCode);
        for (var i = 0; i < values.Length; i++)
        {
            error.Add(values[i], grid.Reconstruct(codes[i]));
        }

        // MatMulNBits reads whole blobs: the padding past the last column gets the zero-point code, i.e. weight 0.
        var stored = Math.Min(Geometry.BlockSize, Geometry.CodesPerRow - start);
        codes[values.Length..stored].Fill((byte)grid.ZeroPoint);
        var rowData = data.AsSpan((int)((long)row * Geometry.RowBytes), Geometry.RowBytes);
        PackedCodes.Pack(codes[..stored], Geometry.Bits, rowData[(start * Geometry.Bits / 8)..]);

        scales[((long)row * Geometry.BlocksPerRow) + block] = grid.Scale;
        if (!Options.Symmetric)
        {
            PackedCodes.Write(zeroPoints.AsSpan((int)((long)row * Geometry.ZeroPointBytesPerRow), Geometry.ZeroPointBytesPerRow), block, Geometry.Bits, grid.ZeroPoint);
        }
    }
}
