namespace Appliance.Inference.Tokenization;

/// <summary>The Strip decoder on separate tokens: drops up to start/stop copies of a char at each end of each token.</summary>
internal sealed class StripStep(char content, int start, int stop) : TokenTextStep
{
    public override void Apply(ReadOnlySpan<char> token, bool isFirst, CharBuffer output)
    {
        var from = 0;
        while (from < start && from < token.Length && token[from] == content)
        {
            from++;
        }

        var to = token.Length;
        while (token.Length - to < stop && to > 0 && token[to - 1] == content)
        {
            to--;
        }

        output.Append(from < to ? token[from..to] : []);
    }
}
