namespace Appliance.Inference.Tokenization;

/// <summary>
/// GPT-2's byte-to-character map: every byte gets a printable character, so byte-level BPE vocabularies are plain
/// strings. Printable Latin-1 bytes map to themselves; the other 68 take U+0100 onwards, in byte order.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteChars = BuildByteChars();
    private static readonly short[] CharBytes = BuildCharBytes();

    /// <summary>The character standing for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => ByteChars[value];

    /// <summary>The byte a byte-level character stands for, or false for any other character.</summary>
    public static bool TryGetByte(char c, out byte value)
    {
        if (c < CharBytes.Length && CharBytes[c] >= 0)
        {
            value = (byte)CharBytes[c];
            return true;
        }

        value = 0;
        return false;
    }

    private static bool MapsToItself(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static char[] BuildByteChars()
    {
        var chars = new char[256];
        var next = 0x100;
        for (var b = 0; b < 256; b++)
        {
            chars[b] = MapsToItself(b) ? (char)b : (char)next++;
        }

        return chars;
    }

    private static short[] BuildCharBytes()
    {
        var bytes = new short[0x100 + 68];
        Array.Fill(bytes, (short)-1);
        for (var b = 0; b < 256; b++)
        {
            bytes[ByteChars[b]] = (short)b;
        }

        return bytes;
    }
}
