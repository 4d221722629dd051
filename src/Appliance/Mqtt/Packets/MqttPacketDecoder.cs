using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Turns bytes into packets. Any packet that breaks the format or the rules throws <see cref="MqttProtocolException"/>
/// carrying the reason code for the DISCONNECT that should follow; decoded packets own their data.
/// </summary>
public static class MqttPacketDecoder
{
    /// <summary>
    /// Takes one complete packet off the front of <paramref name="buffer"/> and advances it; returns false (buffer
    /// untouched) until the whole packet has arrived. A packet larger than <paramref name="maximumPacketSize"/> throws
    /// with <see cref="MqttReasonCode.PacketTooLarge"/> as soon as its header is seen.
    /// </summary>
    public static bool TryDecode(
        ref ReadOnlySequence<byte> buffer,
        MqttProtocolVersion version,
        int maximumPacketSize,
        [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        Span<byte> header = stackalloc byte[1 + MqttVariableByteInteger.MaxLength];
        var headerLength = (int)Math.Min(buffer.Length, header.Length);
        if (headerLength == 0)
        {
            return false;
        }

        buffer.Slice(0, headerLength).CopyTo(header);
        if (!MqttVariableByteInteger.TryRead(header[1..headerLength], "remaining length", out var remaining, out var lengthSize))
        {
            return false;
        }

        var total = 1L + lengthSize + remaining;
        if (total > maximumPacketSize)
        {
            throw new MqttProtocolException(
                MqttReasonCode.PacketTooLarge,
                $"Incoming {Describe(header[0])} packet is {total} bytes; the limit is {maximumPacketSize}.");
        }

        if (buffer.Length < total)
        {
            return false;
        }

        var body = buffer.Slice(1 + lengthSize, remaining);
        packet = body.IsSingleSegment ? DecodeBody(header[0], body.FirstSpan, version) : DecodeSegmented(header[0], body, version);
        buffer = buffer.Slice(total);
        return true;
    }

    /// <summary>Decodes exactly one whole packet (fixed header included); extra or missing bytes are malformed.</summary>
    public static MqttPacket Decode(ReadOnlySpan<byte> packet, MqttProtocolVersion version)
    {
        if (packet.IsEmpty)
        {
            MqttProtocolException.ThrowMalformed("Empty packet: no fixed header.");
        }

        if (!MqttVariableByteInteger.TryRead(packet[1..], "remaining length", out var remaining, out var lengthSize))
        {
            MqttProtocolException.ThrowMalformed("Fixed header: remaining length is truncated.");
        }

        var following = packet.Length - 1 - lengthSize;
        if (following != remaining)
        {
            MqttProtocolException.ThrowMalformed($"Fixed header: remaining length is {remaining}, but {following} byte(s) follow.");
        }

        return DecodeBody(packet[0], packet[(1 + lengthSize)..], version);
    }

    /// <summary>Decodes a packet body given the fixed header's first byte.</summary>
    public static MqttPacket DecodeBody(byte firstByte, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(firstByte >> 4);
        var flags = (byte)(firstByte & 0x0F);
        if (type == MqttPacketType.Auth && version == MqttProtocolVersion.V500)
        {
            MqttProtocolException.ThrowProtocolError("AUTH packet received: enhanced authentication is not supported.");
        }

        if (type is < MqttPacketType.Connect or > MqttPacketType.Disconnect)
        {
            MqttProtocolException.ThrowMalformed($"Packet type {(int)type} is reserved in MQTT {Describe(version)}.");
        }

        var expectedFlags = type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0x02 : 0x00;
        if (type != MqttPacketType.Publish && flags != expectedFlags)
        {
            MqttProtocolException.ThrowMalformed($"{type}: fixed header flags are 0x{flags:X}, expected 0x{expectedFlags:X}.");
        }

        var reader = new MqttWireReader(body);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => ConnectPacket.Read(ref reader),
            MqttPacketType.ConnAck => ConnAckPacket.Read(ref reader, version),
            MqttPacketType.Publish => PublishPacket.Read(ref reader, flags, version),
            MqttPacketType.PubAck => PublishFlowPacket.Read<PubAckPacket>(ref reader, type, version),
            MqttPacketType.PubRec => PublishFlowPacket.Read<PubRecPacket>(ref reader, type, version),
            MqttPacketType.PubRel => PublishFlowPacket.Read<PubRelPacket>(ref reader, type, version),
            MqttPacketType.PubComp => PublishFlowPacket.Read<PubCompPacket>(ref reader, type, version),
            MqttPacketType.Subscribe => SubscribePacket.Read(ref reader, version),
            MqttPacketType.SubAck => SubAckPacket.Read(ref reader, version),
            MqttPacketType.Unsubscribe => UnsubscribePacket.Read(ref reader, version),
            MqttPacketType.UnsubAck => UnsubAckPacket.Read(ref reader, version),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            _ => DisconnectPacket.Read(ref reader, version),
        };
        reader.EnsureAtEnd(type);
        return packet;
    }

    private static MqttPacket DecodeSegmented(byte firstByte, ReadOnlySequence<byte> body, MqttProtocolVersion version)
    {
        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return DecodeBody(firstByte, rented.AsSpan(0, length), version);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string Describe(byte firstByte) => ((MqttPacketType)(firstByte >> 4)).ToString();

    private static string Describe(MqttProtocolVersion version) => version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1";
}
