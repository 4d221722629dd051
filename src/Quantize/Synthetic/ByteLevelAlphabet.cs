using System.Text;

namespace Appliance.Quantize.Synthetic;

/// <summary>
/// GPT-2's byte-to-unicode table used by byte-level BPE: printable Latin-1 bytes stand for themselves, the other
/// 68 bytes map to U+0100 onwards in byte order (so a space is 'Ġ', a newline 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildTable();

    public static char Char(byte value) => ByteToChar[value];

    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            builder.Append(ByteToChar[b]);
        }

        return builder.ToString();
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
