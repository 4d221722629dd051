namespace Appliance.Quantize.Quantization;

/// <summary>
/// Byte layout of the packed codes. In both, row r's element c sits at bit c * bits of the row (4-bit: low nibble first);
/// they differ only in the row length. Scales and zero points have the same layout in both.
/// </summary>
public enum QuantizedLayout
{
    /// <summary>com.microsoft MatMulNBits input B: [N, blocks, blockSize * bits / 8], the last block of a row padded with its zero-point code.</summary>
    MatMulNBits,

    /// <summary>com.microsoft GatherBlockQuantized uint8 data: [rows, columns * bits / 8], rows unpadded.</summary>
    GatherBlockQuantized,
}
