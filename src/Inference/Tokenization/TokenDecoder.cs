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

    /// <summary>
    /// The bytes token <paramref name="id"/> adds to the decoded text in the middle of a sequence (after the per-token
    /// steps, a byte-fallback or byte-level token as its raw byte(s)); null for ids with no text and for special
    /// tokens. What a constrained sampler matches tokens by.
    /// </summary>
    public byte[]? MidSequenceBytes(int id)
    {
        if ((uint)id >= (uint)Tokens.Length || Tokens[id] is not { } token || Skippable[id])
        {
            return null;
        }

        ReadOnlySpan<char> text = token;
        foreach (var step in Plan.Steps)
        {
            var next = new CharBuffer(text.Length * 2);
            step.Apply(text, isFirst: false, next);
            text = next.Span;
        }

        if (Plan.Grouping == ByteGrouping.ByteFallback && text.Length == 6 && text.StartsWith("<0x", StringComparison.Ordinal)
            && text[5] == '>' && byte.TryParse(text[3..5], System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
        {
            return [value];
        }

        if (Plan.Grouping == ByteGrouping.ByteLevel && !Verbatim[id])
        {
            var bytes = new byte[text.Length];
            for (var i = 0; i < text.Length; i++)
            {
                if (!ByteLevelAlphabet.TryGetByte(text[i], out bytes[i]))
                {
                    return System.Text.Encoding.UTF8.GetBytes(text.ToString());
                }
            }

            return bytes;
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    public string TokenText(int id)
    {
        if ((uint)id < (uint)Tokens.Length && Tokens[id] is { } text)
        {
            return text;
        }

        throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary (ids 0..{Tokens.Length - 1}).");
    }
}
