using System.Text;

namespace Appliance.Inference.Runtime;

/// <summary>A graph input or output name encoded once as NUL-terminated UTF-8, so binding it in the decode loop allocates nothing.</summary>
internal sealed class BoundName
{
    public BoundName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Value = name;
        Bytes = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, Bytes);
    }

    public string Value { get; }

    public byte[] Bytes { get; }

    public override string ToString() => Value;
}
