namespace Appliance.Inference.Tokenization;

/// <summary>
/// Incremental UTF-8 to code points with U+FFFD for each maximal invalid subpart: the WHATWG decoder that
/// JavaScript's TextDecoder implements, fed one byte at a time so no character is ever split.
/// </summary>
internal struct Utf8StreamDecoder
{
    private int _codePoint;
    private int _needed;
    private int _seen;
    private int _lower;
    private int _upper;

    /// <summary>Consumes one byte; writes 0 to 2 completed code points to <paramref name="output"/> and returns how many.</summary>
    public int Feed(byte b, Span<int> output)
    {
        if (_needed == 0)
        {
            return Start(b, output);
        }

        if (b < _lower || b > _upper)
        {
            // The sequence so far is a maximal invalid subpart; the byte starts afresh.
            Reset();
            output[0] = UnicodeText.ReplacementChar;
            return 1 + Start(b, output[1..]);
        }

        _lower = 0x80;
        _upper = 0xBF;
        _codePoint = (_codePoint << 6) | (b & 0x3F);
        if (++_seen < _needed)
        {
            return 0;
        }

        output[0] = _codePoint;
        Reset();
        return 1;
    }

    /// <summary>Ends the byte run: an incomplete sequence becomes one U+FFFD. Returns 0 or 1 code points written.</summary>
    public int Flush(Span<int> output)
    {
        if (_needed == 0)
        {
            return 0;
        }

        Reset();
        output[0] = UnicodeText.ReplacementChar;
        return 1;
    }

    private int Start(byte b, Span<int> output)
    {
        switch (b)
        {
            case < 0x80:
                output[0] = b;
                return 1;
            case >= 0xC2 and <= 0xDF:
                Begin(1, b & 0x1F, 0x80, 0xBF);
                return 0;
            case >= 0xE0 and <= 0xEF:
                Begin(2, b & 0x0F, b == 0xE0 ? 0xA0 : 0x80, b == 0xED ? 0x9F : 0xBF);
                return 0;
            case >= 0xF0 and <= 0xF4:
                Begin(3, b & 0x07, b == 0xF0 ? 0x90 : 0x80, b == 0xF4 ? 0x8F : 0xBF);
                return 0;
            default:
                output[0] = UnicodeText.ReplacementChar;
                return 1;
        }
    }

    private void Begin(int needed, int bits, int lower, int upper)
    {
        _needed = needed;
        _seen = 0;
        _codePoint = bits;
        _lower = lower;
        _upper = upper;
    }

    private void Reset()
    {
        _needed = 0;
        _seen = 0;
        _codePoint = 0;
        _lower = 0x80;
        _upper = 0xBF;
    }
}
