namespace Appliance.Inference.Tokenization;

/// <summary>
/// tokenizer_config.json's clean_up_tokenization_spaces, streamed: removes the space before punctuation and English
/// contractions (" ." -> ".", " n't" -> "n't", ...) in the reference's order, one replace-all after another.
/// </summary>
internal sealed class TokenizationSpaceCleanup
{
    private static readonly (string Pattern, string Replacement)[] Rules =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
        (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    private readonly LiteralReplaceStream[] _stages = Array.ConvertAll(Rules, r => new LiteralReplaceStream(r.Pattern, r.Replacement));
    private readonly CharBuffer[] _between = Array.ConvertAll(Rules, _ => new CharBuffer(8));

    public void Write(ReadOnlySpan<char> text, CharBuffer output)
    {
        foreach (var c in text)
        {
            // Every rule starts with a space; anything else passes untouched unless a stage is holding chars.
            if (c != ' ' && AllIdle())
            {
                output.Append(c);
                continue;
            }

            Feed(0, c, output);
        }
    }

    public void Flush(CharBuffer output)
    {
        for (var s = 0; s < _stages.Length; s++)
        {
            var released = _between[s];
            released.Clear();
            _stages[s].Flush(released);
            Pass(s + 1, released, output);
        }
    }

    /// <summary>Drops whatever is held, for a new stream.</summary>
    public void Reset()
    {
        foreach (var stage in _stages)
        {
            stage.Reset();
        }
    }

    private bool AllIdle()
    {
        foreach (var stage in _stages)
        {
            if (!stage.IsIdle)
            {
                return false;
            }
        }

        return true;
    }

    private void Feed(int stage, char c, CharBuffer output)
    {
        if (stage == _stages.Length)
        {
            output.Append(c);
            return;
        }

        var released = _between[stage];
        released.Clear();
        _stages[stage].Write(c, released);
        Pass(stage + 1, released, output);
    }

    private void Pass(int stage, CharBuffer released, CharBuffer output)
    {
        // Feed recurses into later stages only, whose buffers are distinct from this one.
        for (var i = 0; i < released.Length; i++)
        {
            Feed(stage, released.Span[i], output);
        }
    }
}
