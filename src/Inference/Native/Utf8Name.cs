using System.Text;

namespace Appliance.Inference.Native;

/// <summary>A name encoded once as NUL-terminated UTF-8, so binding calls in the decode loop allocate nothing.</summary>
public sealed class Utf8Name
{
    public Utf8Name(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Value = name;
        Bytes = NulTerminated(name);
    }

    public string Value { get; }

    internal byte[] Bytes { get; }

    public override string ToString() => Value;

    internal static byte[] NulTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
