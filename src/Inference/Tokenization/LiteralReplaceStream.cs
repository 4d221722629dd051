namespace Appliance.Inference.Tokenization;

/// <summary>
/// Replace-all of a literal pattern over a stream of chars, exactly as a global regex replace scans: a char is
/// released as soon as no match can start at it, so at most pattern-length-minus-one chars are ever held.
/// </summary>
internal sealed class LiteralReplaceStream(string pattern, string replacement)
{
    private readonly char[] _held = new char[pattern.Length];
    private int _count;

    /// <summary>Nothing held: a char that cannot start the pattern passes straight through.</summary>
    public bool IsIdle => _count == 0;

    /// <summary>Takes one char; writes what is released to <paramref name="released"/>.</summary>
    public void Write(char c, CharBuffer released)
    {
        _held[_count++] = c;
        while (_count > 0)
        {
            if (_held.AsSpan(0, _count).SequenceEqual(pattern.AsSpan(0, _count)))
            {
                if (_count == pattern.Length)
                {
                    released.Append(replacement);
                    _count = 0;
                }

                return;
            }

            released.Append(_held[0]);
            _held.AsSpan(1, _count - 1).CopyTo(_held);
            _count--;
        }
    }

    /// <summary>End of stream: whatever is held is not a match and is released as is.</summary>
    public void Flush(CharBuffer released)
    {
        released.Append(_held.AsSpan(0, _count));
        _count = 0;
    }

    public void Reset() => _count = 0;
}
