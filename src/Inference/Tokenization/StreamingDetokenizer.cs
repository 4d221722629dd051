namespace Appliance.Inference.Tokenization;

/// <summary>
/// Turns token ids into text one id at a time. Each call returns the text that became final with that token: a
/// UTF-8 sequence or byte-fallback run is held until complete, as is anything a later token could still change
/// (a trailing strippable space, a space the clean-up may remove). Concatenated, the deltas plus
/// <see cref="Finish"/> equal <see cref="Tokenizer.Decode"/> of the same ids. Reuses its buffers: no allocation per
/// token once warmed up. Not thread-safe; one instance per stream.
/// </summary>
public sealed class StreamingDetokenizer
{
    private readonly TokenDecoder _decoder;
    private readonly bool _skipSpecialTokens;
    private readonly CharBuffer _output;
    private readonly CharBuffer _stepA;
    private readonly CharBuffer _stepB;
    private readonly TokenizationSpaceCleanup? _cleanup;
    private Utf8StreamDecoder _utf8;
    private bool _runStarting = true;
    private bool _sawToken;
    private int _leadingStripLeft;
    private int _heldStripChars;

    internal StreamingDetokenizer(TokenDecoder decoder, bool skipSpecialTokens)
    {
        _decoder = decoder;
        _skipSpecialTokens = skipSpecialTokens;
        var capacity = (decoder.MaxTokenLength * 4) + 64;
        _output = new CharBuffer(capacity);
        _stepA = new CharBuffer(capacity);
        _stepB = new CharBuffer(capacity);
        _cleanup = decoder.CleanUpSpaces ? new TokenizationSpaceCleanup() : null;
        Reset();
    }

    /// <summary>Adds one token; returns the text it completes. The span is valid until the next call.</summary>
    public ReadOnlySpan<char> Push(int tokenId)
    {
        _output.Clear();
        var text = _decoder.TokenText(tokenId).AsSpan();
        if (_skipSpecialTokens && _decoder.Skippable[tokenId])
        {
            return [];
        }

        var plan = _decoder.Plan;
        var isFirst = !_sawToken;
        _sawToken = true;
        if (plan.Steps.Count > 0)
        {
            text = ApplySteps(plan.Steps, text, isFirst);
        }

        if (plan.JoinWithSpaces && !isFirst)
        {
            Emit(" ");
        }

        switch (plan.Grouping)
        {
            case ByteGrouping.ByteFallback when TryParseByteToken(text, out var value):
                FeedByte(value, dropLeadingBom: true);
                break;
            case ByteGrouping.ByteLevel when !_decoder.Verbatim[tokenId]:
                FeedByteLevel(text);
                break;
            default:
                FlushBytes();
                Emit(text);
                break;
        }

        return _output.Span;
    }

    /// <summary>
    /// Ends the stream and returns the text still held: an unfinished UTF-8 sequence becomes U+FFFD, trailing
    /// strippable chars are dropped. The detokenizer is then ready for a new stream.
    /// </summary>
    public ReadOnlySpan<char> Finish()
    {
        _output.Clear();
        FlushBytes();
        _cleanup?.Flush(_output);
        Reset();
        return _output.Span;
    }

    /// <summary>Forgets everything pushed so far and starts a new stream.</summary>
    public void Reset()
    {
        _utf8 = default;
        _runStarting = true;
        _heldStripChars = 0;
        _sawToken = false;
        _leadingStripLeft = _decoder.Plan.OutputStrip?.Start ?? 0;
        _cleanup?.Reset();
    }

    private static bool TryParseByteToken(ReadOnlySpan<char> text, out byte value)
    {
        value = 0;
        if (text.Length != 6 || !text.StartsWith("<0x", StringComparison.Ordinal) || text[5] != '>'
            || !char.IsAsciiHexDigit(text[3]) || !char.IsAsciiHexDigit(text[4]))
        {
            return false;
        }

        value = (byte)((HexValue(text[3]) << 4) | HexValue(text[4]));
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private ReadOnlySpan<char> ApplySteps(IReadOnlyList<TokenTextStep> steps, ReadOnlySpan<char> text, bool isFirst)
    {
        var target = _stepA;
        for (var i = 0; i < steps.Count; i++)
        {
            target.Clear();
            steps[i].Apply(text, isFirst, target);
            text = target.Span;
            target = target == _stepA ? _stepB : _stepA;
        }

        return text;
    }

    private void FeedByteLevel(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!ByteLevelAlphabet.TryGetByte(c, out _))
            {
                // Not byte-level text at all: the Rust crate takes such a token's own UTF-8 bytes.
                Span<byte> utf8 = stackalloc byte[4];
                for (var i = 0; i < text.Length;)
                {
                    var cp = UnicodeText.CodePointAt(text, i, out var length);
                    i += length;
                    var count = Utf8Encoding.Encode(cp, utf8);
                    for (var b = 0; b < count; b++)
                    {
                        FeedByte(utf8[b]);
                    }
                }

                return;
            }
        }

        foreach (var c in text)
        {
            ByteLevelAlphabet.TryGetByte(c, out var value);
            FeedByte(value);
        }
    }

    private void FeedByte(byte value, bool dropLeadingBom = false)
    {
        Span<int> codePoints = stackalloc int[2];
        var count = _utf8.Feed(value, codePoints);
        var decoded = codePoints[..count];

        // The reference decodes each byte-fallback run with a TextDecoder that, by default, swallows a leading BOM.
        if (count > 0 && _runStarting)
        {
            _runStarting = false;
            if (dropLeadingBom && decoded[0] == 0xFEFF)
            {
                decoded = decoded[1..];
            }
        }

        EmitCodePoints(decoded);
    }

    private void FlushBytes()
    {
        Span<int> codePoints = stackalloc int[1];
        var count = _utf8.Flush(codePoints);
        _runStarting = true;
        EmitCodePoints(codePoints[..count]);
    }

    private void EmitCodePoints(ReadOnlySpan<int> codePoints)
    {
        Span<char> utf16 = stackalloc char[2];
        foreach (var cp in codePoints)
        {
            Emit(utf16[..new System.Text.Rune(cp).EncodeToUtf16(utf16)]);
        }
    }

    /// <summary>Text leaving the decoder chain: through the output Strip, then the clean-up, into the output.</summary>
    private void Emit(ReadOnlySpan<char> text)
    {
        if (_decoder.Plan.OutputStrip is not { } strip)
        {
            Clean(text);
            return;
        }

        foreach (var c in text)
        {
            if (_leadingStripLeft > 0 && c == strip.Content)
            {
                _leadingStripLeft--;
                continue;
            }

            _leadingStripLeft = 0;
            if (c == strip.Content && strip.Stop > 0)
            {
                // Maybe trailing: hold up to Stop of them until something else follows.
                if (++_heldStripChars > strip.Stop)
                {
                    _heldStripChars--;
                    Clean(new ReadOnlySpan<char>(in c));
                }

                continue;
            }

            for (; _heldStripChars > 0; _heldStripChars--)
            {
                Clean(new ReadOnlySpan<char>(in strip.Content));
            }

            Clean(new ReadOnlySpan<char>(in c));
        }
    }

    private void Clean(ReadOnlySpan<char> text)
    {
        if (_cleanup is null)
        {
            _output.Append(text);
        }
        else
        {
            _cleanup.Write(text, _output);
        }
    }
}
