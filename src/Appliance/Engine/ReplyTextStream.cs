using Appliance.Inference.Generation;
using Appliance.Inference.Tokenization;
using System.Text;

namespace Appliance.Engine;

/// <summary>
/// Turns generated tokens into reply text the moment it is final: detokenized, with stop strings (even split across
/// tokens) cut off, each piece handed to a <see cref="ReplyDeltaCallback"/>. Keeps the whole text. Ids the tokenizer
/// has no text for (padding ids of a larger logits row) add nothing rather than failing the reply.
/// One instance per reply; the CLI prints through it and the service publishes through it.
/// </summary>
internal sealed class ReplyTextStream
{
    private readonly Tokenizer _tokenizer;
    private readonly StreamingDetokenizer _detokenizer;
    private readonly StopStringMatcher _stops;
    private readonly ReplyDeltaCallback _onDelta;
    private readonly StringBuilder _text = new();

    public ReplyTextStream(Tokenizer tokenizer, IEnumerable<string> stopStrings, ReplyDeltaCallback onDelta)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(onDelta);
        _tokenizer = tokenizer;
        _detokenizer = tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: true);
        _stops = new StopStringMatcher(stopStrings);
        _onDelta = onDelta;
    }

    /// <summary>Everything emitted so far.</summary>
    public string Text => _text.ToString();

    /// <summary>A stop string appeared; nothing more is emitted.</summary>
    public bool IsStopped => _stops.IsStopped;

    /// <summary>Emits what <paramref name="tokenId"/> completes; false once a stop string appeared (a <see cref="TokenCallback"/>).</summary>
    public bool Write(int tokenId)
    {
        var piece = _tokenizer.IdToToken(tokenId) is null ? [] : _stops.Push(_detokenizer.Push(tokenId));
        Emit(piece);
        return !_stops.IsStopped;
    }

    /// <summary>Emits the text still held back when generation ends (an unfinished character, a partial stop string).</summary>
    public void Finish()
    {
        var tail = _stops.Push(_detokenizer.Finish());
        if (!tail.IsEmpty)
        {
            Emit(tail);
        }

        var held = _stops.Finish();
        if (!held.IsEmpty)
        {
            Emit(held);
        }
    }

    private void Emit(ReadOnlySpan<char> text)
    {
        _text.Append(text);
        _onDelta(text);
    }
}
