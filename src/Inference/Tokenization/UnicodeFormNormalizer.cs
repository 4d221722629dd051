namespace Appliance.Inference.Tokenization;

/// <summary>Unicode NFC or NFD.</summary>
internal sealed class UnicodeFormNormalizer(bool compose) : Normalizer
{
    public override void Normalize(ReadOnlySpan<char> input, CharBuffer output, EncodeScratch scratch) =>
        UnicodeNormalization.Normalize(input, compose, output, scratch.CodePoints);
}
