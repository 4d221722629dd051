namespace Appliance.Inference.Tokenization;

/// <summary>Everything decoding needs: token texts by id, which ids are special, the decoder plan, the cleanup switch.</summary>
internal sealed class TokenDecoder
{
    /// <param name="tokens">Token text by id; null where no token has that id.</param>
    /// <param name="skippable">Ids that skipSpecialTokens drops.</param>
    /// <param name="verbatim">Ids the ByteLevel decoder passes through as text (added tokens).</param>
    /// <param name="plan">The decoder chain.</param>
    /// <param name="cleanUpSpaces">tokenizer_config.json's clean_up_tokenization_spaces.</param>
    public TokenDecoder(string?[] tokens, bool[] skippable, bool[] verbatim, DecoderPlan plan, bool cleanUpSpaces)
    {
        Tokens = tokens;
        Skippable = skippable;
        Verbatim = verbatim;
        Plan = plan;
        CleanUpSpaces = cleanUpSpaces;
        MaxTokenLength = tokens.Max(t => t?.Length ?? 0);
    }

    public string?[] Tokens { get; }

    public bool[] Skippable { get; }

    public bool[] Verbatim { get; }

    public DecoderPlan Plan { get; }

    public bool CleanUpSpaces { get; }

    public int MaxTokenLength { get; }

    public string TokenText(int id)
    {
        if ((uint)id < (uint)Tokens.Length && Tokens[id] is { } text)
        {
            return text;
        }

        throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary (ids 0..{Tokens.Length - 1}).");
    }
}
