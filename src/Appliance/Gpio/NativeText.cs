using System.Text;

namespace Appliance.Gpio;

/// <summary>NUL-terminated UTF-8 names in the uAPI's fixed 32-byte fields.</summary>
internal static unsafe class NativeText
{
    public static string Read(byte* field, int size)
    {
        var bytes = new ReadOnlySpan<byte>(field, size);
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>Writes <paramref name="text"/> NUL-terminated; refuses (naming <paramref name="what"/>) when it does not fit.</summary>
    public static void Write(string text, byte* field, int size, string what)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length >= size || text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{text}' must be at most {size - 1} UTF-8 bytes without NUL, got {length}.", nameof(text));
        }

        var destination = new Span<byte>(field, size);
        destination.Clear();
        Encoding.UTF8.GetBytes(text, destination);
    }
}
