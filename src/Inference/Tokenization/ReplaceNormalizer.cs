namespace Appliance.Inference.Tokenization;

/// <summary>Replaces every occurrence of a literal string, left to right, without overlaps.</summary>
internal sealed class ReplaceNormalizer(string pattern, string content) : Normalizer
{
    public override void Normalize(ReadOnlySpan<char> input, CharBuffer output, EncodeScratch scratch) =>
        LiteralReplace.Apply(input, pattern, content, output);
}
