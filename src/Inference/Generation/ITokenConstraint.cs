namespace Appliance.Inference.Generation;

/// <summary>
/// Limits which tokens one request may generate (structured output): before each pick the generator has it mask the
/// logits, then tells it the token chosen. Stateful; one instance per request, used by one generation at a time.
/// </summary>
public interface ITokenConstraint
{
    /// <summary>Whether the output so far is complete, so a stop token may come now.</summary>
    bool IsComplete { get; }

    /// <summary>Whether the output is complete and nothing but a stop token may follow.</summary>
    bool IsFinished { get; }

    /// <summary>Starts a new output; the <paramref name="stopTokens"/> stay allowed only where the output is complete.</summary>
    void Begin(ReadOnlySpan<int> stopTokens);

    /// <summary>
    /// The logits with every token that cannot continue the output at -infinity. <paramref name="tokensLeft"/> counts
    /// this token: when it is only just enough for the shortest completion, only tokens on one stay allowed.
    /// The span is valid until the next call.
    /// </summary>
    ReadOnlySpan<float> Mask(ReadOnlySpan<float> logits, int tokensLeft);

    /// <summary>Moves past the chosen token, which must have been allowed by the last <see cref="Mask"/>.</summary>
    void Accept(int tokenId);
}
