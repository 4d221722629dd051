namespace Appliance.Quantize.Quantization;

/// <summary>
/// Codes packed along a row as the operators read them: 8-bit one per byte, 4-bit two per byte with the earlier element
/// in the low nibble. Zero points are packed the same way.
/// </summary>
internal static class PackedCodes
{
    public static void Pack(ReadOnlySpan<byte> codes, int bits, Span<byte> destination)
    {
        if (bits == 8)
        {
            codes.CopyTo(destination);
            return;
        }

        var pairs = codes.Length / 2;
        for (var i = 0; i < pairs; i++)
        {
            destination[i] = (byte)(codes[2 * i] | (codes[(2 * i) + 1] << 4));
        }

        if ((codes.Length & 1) != 0)
        {
            destination[pairs] = codes[^1];
        }
    }

    public static int Read(ReadOnlySpan<byte> packed, int index, int bits) =>
        bits == 8 ? packed[index] : (packed[index >> 1] >> ((index & 1) * 4)) & 0x0F;

    /// <summary>Sets one code, leaving its neighbour in the same byte alone.</summary>
    public static void Write(Span<byte> packed, int index, int bits, int code)
    {
        if (bits == 8)
        {
            packed[index] = (byte)code;
            return;
        }

        var shift = (index & 1) * 4;
        packed[index >> 1] = (byte)((packed[index >> 1] & ~(0x0F << shift)) | (code << shift));
    }

    /// <summary>Bytes that <paramref name="count"/> packed codes occupy.</summary>
    public static int ByteCount(int count, int bits) => ((count * bits) + 7) / 8;
}
