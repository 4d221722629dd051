using System.Buffers.Text;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Appliance.Telemetry.Sensors;

/// <summary>
/// Reads the small text files of procfs and sysfs into a caller's buffer: no strings, no arrays per read, so a
/// sampling period costs a few system calls. A file that is absent or refuses to be read (some thermal zones
/// answer EIO or ENODATA) reads as "nothing"; content that is there but is not what the kernel writes is an error
/// naming the file.
/// </summary>
internal static class SensorFile
{
    /// <summary>Reads the file into <paramref name="buffer"/>; the number of bytes, or -1 when it cannot be read.</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var total = 0;
            int read;
            // procfs files report size 0; read until the end or the buffer is full.
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer[total..], total)) > 0)
            {
                total += read;
            }

            return total;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>One integer (e.g. "45000\n" from a thermal zone's temp); null when the file cannot be read.</summary>
    public static long? ReadInteger(string path)
    {
        Span<byte> buffer = stackalloc byte[64];
        var length = Read(path, buffer);
        if (length < 0)
        {
            return null;
        }

        var text = buffer[..length].Trim(" \t\r\n\0"u8);
        if (!Utf8Parser.TryParse(text, out long value, out var consumed) || consumed != text.Length)
        {
            throw new InvalidDataException($"{path}: expected an integer, found \"{Printable(buffer[..length])}\".");
        }

        return value;
    }

    /// <summary>The file's text, trimmed (e.g. a thermal zone's type); null when the file cannot be read.</summary>
    public static string? ReadText(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = Read(path, buffer);
        return length < 0 ? null : Encoding.UTF8.GetString(buffer[..length].Trim(" \t\r\n\0"u8));
    }

    /// <summary>The whitespace-separated field number <paramref name="index"/> (0-based) of <paramref name="text"/>.</summary>
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> text, int index)
    {
        var field = 0;
        var position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && IsSpace(text[position]))
            {
                position++;
            }

            var start = position;
            while (position < text.Length && !IsSpace(text[position]))
            {
                position++;
            }

            if (start < position && field++ == index)
            {
                return text[start..position];
            }
        }

        return [];
    }

    public static long ParseInteger(ReadOnlySpan<byte> field, string path, string what)
    {
        if (!Utf8Parser.TryParse(field, out long value, out var consumed) || consumed != field.Length)
        {
            throw new InvalidDataException($"{path}: {what} is \"{Printable(field)}\", not an integer.");
        }

        return value;
    }

    public static double ParseDecimal(ReadOnlySpan<byte> field, string path, string what)
    {
        if (!Utf8Parser.TryParse(field, out double value, out var consumed) || consumed != field.Length)
        {
            throw new InvalidDataException($"{path}: {what} is \"{Printable(field)}\", not a number.");
        }

        return value;
    }

    /// <summary>The value of a "Key:   123 kB" line (as in /proc/meminfo), in bytes; null when the key is absent.</summary>
    public static long? KilobyteField(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, string path)
    {
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (line.StartsWith(key) && line.Length > key.Length && line[key.Length] == (byte)':')
            {
                var rest = line[(key.Length + 1)..];
                var unit = Field(rest, 1);
                if (!unit.SequenceEqual("kB"u8))
                {
                    throw new InvalidDataException($"{path}: \"{Printable(line)}\" is not \"{Encoding.ASCII.GetString(key)}: <number> kB\".");
                }

                return ParseInteger(Field(rest, 0), path, Encoding.ASCII.GetString(key)) * 1024;
            }
        }

        return null;
    }

    private static bool IsSpace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0;

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes).Trim().Replace("\n", "\\n", StringComparison.Ordinal);
}
