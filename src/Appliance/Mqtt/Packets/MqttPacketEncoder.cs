using System.Buffers;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Turns packets into bytes. Holds a reusable body buffer, so one instance serves one writer at a time.
/// Outgoing values that break the rules (bad QoS, oversized strings, properties a packet cannot carry) throw ArgumentException.
/// </summary>
public sealed class MqttPacketEncoder
{
    private readonly MqttWireWriter _body = new();

    public void Encode(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        _body.Reset();
        packet.WriteBody(_body, version);
        if (_body.Length > MqttVariableByteInteger.MaxValue)
        {
            throw new ArgumentException($"{packet.Type} body is {_body.Length} bytes; MQTT allows at most {MqttVariableByteInteger.MaxValue}.", nameof(packet));
        }

        var header = output.GetSpan(1 + MqttVariableByteInteger.MaxLength);
        header[0] = (byte)(((byte)packet.Type << 4) | packet.FixedHeaderFlags);
        output.Advance(1 + MqttVariableByteInteger.Write(_body.Length, header[1..]));
        output.Write(_body.Written);
    }

    public byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        Encode(packet, version, output);
        return output.WrittenSpan.ToArray();
    }
}
