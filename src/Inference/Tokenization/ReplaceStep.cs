namespace Appliance.Inference.Tokenization;

/// <summary>The Replace decoder: a literal replace-all in each token.</summary>
internal sealed class ReplaceStep(string pattern, string content) : TokenTextStep
{
    public override void Apply(ReadOnlySpan<char> token, bool isFirst, CharBuffer output) =>
        LiteralReplace.Apply(token, pattern, content, output);
}
