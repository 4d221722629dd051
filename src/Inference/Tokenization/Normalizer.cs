namespace Appliance.Inference.Tokenization;

/// <summary>A tokenizer.json normalizer: rewrites a piece of text before pre-tokenization.</summary>
internal abstract class Normalizer
{
    /// <summary>Appends the normalized form of <paramref name="input"/> to <paramref name="output"/>.</summary>
    public abstract void Normalize(ReadOnlySpan<char> input, CharBuffer output, EncodeScratch scratch);

    /// <summary>Normalizes a whole string; for load-time use (added token contents).</summary>
    public string Normalize(string input)
    {
        var scratch = new EncodeScratch();
        var output = new CharBuffer(input.Length * 2);
        Normalize(input, output, scratch);
        return output.ToString();
    }
}
