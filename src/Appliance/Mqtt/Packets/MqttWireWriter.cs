using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Appliance.Mqtt.Packets;

/// <summary>Writes MQTT data types into a reusable buffer; invalid outgoing values are the caller's bug and throw ArgumentException.</summary>
internal sealed class MqttWireWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    // Property blocks are length-prefixed with a variable byte integer, so they are written here first.
    private MqttWireWriter? _propertyBlock;

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Reset() => _buffer.ResetWrittenCount();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteVariableByteInteger(int value) =>
        _buffer.Advance(MqttVariableByteInteger.Write(value, _buffer.GetSpan(MqttVariableByteInteger.MaxLength)));

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteString(string value, string field)
    {
        ArgumentNullException.ThrowIfNull(value, field);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{field} contains U+0000, which MQTT strings must not.", field);
        }

        int length;
        try
        {
            length = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{field} contains an unpaired surrogate and has no UTF-8 form.", field, e);
        }

        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"{field} is {length} bytes of UTF-8; MQTT strings hold at most {ushort.MaxValue}.", field);
        }

        WriteUInt16((ushort)length);
        _buffer.Advance(StrictUtf8.GetBytes(value, _buffer.GetSpan(length)));
    }

    public void WriteBinary(ReadOnlySpan<byte> value, string field)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"{field} is {value.Length} bytes; MQTT binary data holds at most {ushort.MaxValue}.", field);
        }

        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteProperties(MqttProperties properties, MqttPropertyScope scope)
    {
        var block = _propertyBlock ??= new MqttWireWriter();
        block.Reset();
        MqttPropertyCodec.Write(block, properties, scope);
        WriteVariableByteInteger(block.Length);
        WriteBytes(block.Written);
    }
}
