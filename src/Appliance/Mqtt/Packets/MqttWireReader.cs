using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Reads MQTT data types from a span. Every read is bounds-checked and reports what it wanted and where,
/// so a short or corrupt packet surfaces as a <see cref="MqttProtocolException"/>, never an index error.
/// </summary>
internal ref struct MqttWireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    public MqttWireReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _baseOffset = baseOffset;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsAtEnd => _position == _data.Length;

    public byte ReadByte(string field) => Take(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public int ReadVariableByteInteger(string field)
    {
        if (!MqttVariableByteInteger.TryRead(_data[_position..], field, out var value, out var consumed))
        {
            MqttProtocolException.ThrowMalformed($"{field}: variable byte integer truncated at offset {Offset}.");
        }

        _position += consumed;
        return value;
    }

    /// <summary>A UTF-8 string: two-byte length, then well-formed UTF-8 without U+0000 (MQTT 5.0, 1.5.4).</summary>
    public string ReadString(string field)
    {
        var bytes = Take(ReadUInt16(field), field);
        if (!Utf8.IsValid(bytes))
        {
            MqttProtocolException.ThrowMalformed($"{field}: string is not well-formed UTF-8.");
        }

        if (bytes.Contains((byte)0))
        {
            MqttProtocolException.ThrowMalformed($"{field}: string contains U+0000.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Binary data: two-byte length, then the bytes (copied, since the packet buffer is reused).</summary>
    public byte[] ReadBinary(string field) => Take(ReadUInt16(field), field).ToArray();

    public ReadOnlySpan<byte> ReadRemaining()
    {
        var rest = _data[_position..];
        _position = _data.Length;
        return rest;
    }

    /// <summary>A reader over the next <paramref name="length"/> bytes, which this reader skips.</summary>
    public MqttWireReader ReadBlock(int length, string field)
    {
        var offset = Offset;
        return new MqttWireReader(Take(length, field), offset);
    }

    public readonly void EnsureAtEnd(MqttPacketType packet)
    {
        if (!IsAtEnd)
        {
            MqttProtocolException.ThrowMalformed($"{packet}: {Remaining} unexpected trailing byte(s) at offset {Offset}.");
        }
    }

    private readonly int Offset => _baseOffset + _position;

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            MqttProtocolException.ThrowMalformed($"{field}: needs {count} byte(s) at offset {Offset}, but only {Remaining} remain.");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
