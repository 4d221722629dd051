using System.Text;

namespace Appliance.Inference.Tokenization;

/// <summary>UTF-8 encoding of single code points; a lone surrogate becomes U+FFFD, as TextEncoder does it.</summary>
internal static class Utf8Encoding
{
    /// <summary>Writes the UTF-8 bytes of <paramref name="codePoint"/>; returns how many (1 to 4).</summary>
    public static int Encode(int codePoint, Span<byte> destination) =>
        (Rune.IsValid(codePoint) ? new Rune(codePoint) : Rune.ReplacementChar).EncodeToUtf8(destination);
}
