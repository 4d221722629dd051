namespace Appliance.Inference.Tokenization;

/// <summary>A reusable, growable run of chars: scratch space that stops allocating once it has grown.</summary>
internal sealed class CharBuffer
{
    private char[] _chars;

    public CharBuffer(int capacity = 256) => _chars = new char[Math.Max(capacity, 16)];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(char c)
    {
        if (Length == _chars.Length)
        {
            Grow(1);
        }

        _chars[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        EnsureFree(text.Length);
        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
    }

    /// <summary>Appends a code point as UTF-16.</summary>
    public void AppendCodePoint(int codePoint)
    {
        if (codePoint < 0x10000)
        {
            Append((char)codePoint);
            return;
        }

        EnsureFree(2);
        _chars[Length++] = (char)(0xD7C0 + (codePoint >> 10));
        _chars[Length++] = (char)(0xDC00 | (codePoint & 0x3FF));
    }

    public void Truncate(int length) => Length = length;

    /// <summary>Lengthens the buffer by <paramref name="count"/> chars and returns them for the caller to fill.</summary>
    public Span<char> Extend(int count)
    {
        EnsureFree(count);
        Length += count;
        return _chars.AsSpan(Length - count, count);
    }

    /// <summary>Removes the char at <paramref name="index"/>.</summary>
    public void RemoveAt(int index)
    {
        _chars.AsSpan(index + 1, Length - index - 1).CopyTo(_chars.AsSpan(index));
        Length--;
    }

    /// <summary>Makes room for <paramref name="count"/> more chars, so spans taken afterwards stay valid while appending that many.</summary>
    public void EnsureFree(int count)
    {
        if (Length + count > _chars.Length)
        {
            Grow(count);
        }
    }

    public override string ToString() => new(Span);

    private void Grow(int needed)
    {
        var size = Math.Max(_chars.Length * 2, Length + needed);
        Array.Resize(ref _chars, size);
    }
}
