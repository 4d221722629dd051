namespace Appliance.Inference.Tokenization;

/// <summary>The Metaspace decoder, as the reference does it: "▁" becomes a space; the first token loses one leading space.</summary>
internal sealed class MetaspaceStep(char replacement) : TokenTextStep
{
    public override void Apply(ReadOnlySpan<char> token, bool isFirst, CharBuffer output)
    {
        var skipLeading = isFirst;
        foreach (var c in token)
        {
            var mapped = c == replacement ? ' ' : c;
            if (skipLeading && mapped == ' ')
            {
                skipLeading = false;
                continue;
            }

            skipLeading = false;
            output.Append(mapped);
        }
    }
}
