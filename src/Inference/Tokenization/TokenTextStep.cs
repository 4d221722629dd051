namespace Appliance.Inference.Tokenization;

/// <summary>A decoder that rewrites each token's text on its own (before any byte grouping or fusing).</summary>
internal abstract class TokenTextStep
{
    /// <param name="token">The token's text so far.</param>
    /// <param name="isFirst">Whether this is the first token of the decoded sequence.</param>
    /// <param name="output">Receives the rewritten text.</param>
    public abstract void Apply(ReadOnlySpan<char> token, bool isFirst, CharBuffer output);
}
