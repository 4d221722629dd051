namespace Appliance.Inference.Structured;

/// <summary>
/// The inside of a JSON string, one byte at a time, as a small integer state: raw UTF-8 must be well formed (no
/// overlong forms, no surrogates), escapes are JSON's, and \u escapes of surrogates are refused (a character outside
/// the BMP is written as its UTF-8 bytes). A character counts when its first byte (or the backslash) arrives.
/// </summary>
internal static class JsonStringLexer
{
    public const int Body = 0;
    public const int Rejected = -1;
    public const int Closed = -2;

    private const int Escape = 1;
    private const int Unicode = 0x10;
    private const int SurrogateLead = 0x08;
    private const int Utf8 = 0x100;

    /// <summary>The state after <paramref name="b"/>, or <see cref="Rejected"/>, or <see cref="Closed"/> for the closing quote.</summary>
    public static int Step(int state, byte b, out bool startsChar)
    {
        startsChar = false;
        if (state == Body)
        {
            switch (b)
            {
                case (byte)'"':
                    return Closed;
                case (byte)'\\':
                    startsChar = true;
                    return Escape;
                case < 0x20:
                    return Rejected;
                case < 0x80:
                    startsChar = true;
                    return Body;
                case >= 0xC2 and <= 0xDF:
                    startsChar = true;
                    return Continuation(1, 0);
                case 0xE0:
                    startsChar = true;
                    return Continuation(2, 1);
                case 0xED:
                    startsChar = true;
                    return Continuation(2, 2);
                case >= 0xE1 and <= 0xEF:
                    startsChar = true;
                    return Continuation(2, 0);
                case 0xF0:
                    startsChar = true;
                    return Continuation(3, 3);
                case 0xF4:
                    startsChar = true;
                    return Continuation(3, 4);
                case >= 0xF1 and <= 0xF3:
                    startsChar = true;
                    return Continuation(3, 0);
                default:
                    return Rejected;
            }
        }

        if (state == Escape)
        {
            return b switch
            {
                (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' => Body,
                (byte)'u' => Unicode,
                _ => Rejected,
            };
        }

        if (state < Utf8)
        {
            var digits = state & 0x07;
            var value = HexValue(b);
            if (value < 0 || (digits == 1 && (state & SurrogateLead) != 0 && value >= 8))
            {
                return Rejected;
            }

            return digits == 3 ? Body : Unicode | (digits + 1) | (digits == 0 ? (value == 0xD ? SurrogateLead : 0) : state & SurrogateLead);
        }

        var (low, high) = ((state >> 2) & 0x07) switch
        {
            1 => (0xA0, 0xBF),
            2 => (0x80, 0x9F),
            3 => (0x90, 0xBF),
            4 => (0x80, 0x8F),
            _ => (0x80, 0xBF),
        };
        if (b < low || b > high)
        {
            return Rejected;
        }

        var remaining = state & 0x03;
        return remaining == 1 ? Body : Continuation(remaining - 1, 0);
    }

    /// <summary>Bytes still owed before the string is back between characters.</summary>
    public static int Pending(int state) => state switch
    {
        Body => 0,
        Escape => 1,
        < Utf8 => 4 - (state & 0x07),
        _ => state & 0x03,
    };

    private static int Continuation(int remaining, int range) => Utf8 | remaining | (range << 2);

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
