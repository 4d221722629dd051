namespace Appliance.Inference.Tokenization;

/// <summary>Puts a fixed string in front of the text (SentencePiece's "▁" for Llama 2 style tokenizers).</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override void Normalize(ReadOnlySpan<char> input, CharBuffer output, EncodeScratch scratch)
    {
        output.Append(prefix);
        output.Append(input);
    }
}
