namespace Appliance.Inference.Tokenization;

/// <summary>UTF-8 encoding of single code points; a lone surrogate becomes U+FFFD, as TextEncoder does it.</summary>
internal static class Utf8Encoding
{
    /// <summary>Writes the UTF-8 bytes of <paramref name="codePoint"/>; returns how many (1 to 4).</summary>
    public static int Encode(int codePoint, Span<byte> destination)
    {
        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            codePoint = UnicodeText.ReplacementChar;
        }

        if (codePoint < 0x80)
        {
            destination[0] = (byte)codePoint;
            return 1;
        }

        if (codePoint < 0x800)
        {
            destination[0] = (byte)(0xC0 | (codePoint >> 6));
            destination[1] = (byte)(0x80 | (codePoint & 0x3F));
            return 2;
        }

        if (codePoint < 0x10000)
        {
            destination[0] = (byte)(0xE0 | (codePoint >> 12));
            destination[1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (codePoint & 0x3F));
            return 3;
        }

        destination[0] = (byte)(0xF0 | (codePoint >> 18));
        destination[1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
        destination[2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        destination[3] = (byte)(0x80 | (codePoint & 0x3F));
        return 4;
    }
}
