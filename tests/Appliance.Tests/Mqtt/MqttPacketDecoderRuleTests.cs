using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Tests.Mqtt;

public sealed class MqttPacketDecoderRuleTests
{
    [Theory]
    [InlineData("30 02 00", MqttReasonCode.MalformedPacket, "remaining length")]
    [InlineData("36 04 00 01 74 00", MqttReasonCode.MalformedPacket, "QoS is 3")]
    [InlineData("38 04 00 01 74 00", MqttReasonCode.ProtocolError, "DUP")]
    [InlineData("41 02 00 01", MqttReasonCode.MalformedPacket, "flags")]
    [InlineData("00 00", MqttReasonCode.MalformedPacket, "reserved")]
    [InlineData("F0 00", MqttReasonCode.ProtocolError, "AUTH")]
    [InlineData("C0 80 00", MqttReasonCode.MalformedPacket, "minimally")]
    [InlineData("C0 FF FF FF FF 7F", MqttReasonCode.MalformedPacket, "4 bytes")]
    [InlineData("30 05 00 02 C3 28 00", MqttReasonCode.MalformedPacket, "UTF-8")]
    [InlineData("30 05 00 02 61 00 00", MqttReasonCode.MalformedPacket, "U+0000")]
    [InlineData("30 04 00 01 23 00", MqttReasonCode.TopicNameInvalid, "wildcard")]
    [InlineData("30 0C 00 01 74 08 03 00 01 61 03 00 01 61", MqttReasonCode.ProtocolError, "more than once")]
    [InlineData("30 09 00 01 74 05 11 00 00 00 01", MqttReasonCode.MalformedPacket, "0x11")]
    [InlineData("30 04 00 01 74 05", MqttReasonCode.MalformedPacket, "properties")]
    [InlineData("30 05 00 01 74 01 7F", MqttReasonCode.MalformedPacket, "0x7F")]
    [InlineData("32 06 00 01 74 00 00 00", MqttReasonCode.ProtocolError, "Packet identifier is 0")]
    [InlineData("20 06 00 00 03 21 00 00", MqttReasonCode.ProtocolError, "ReceiveMaximum")]
    [InlineData("20 03 02 00 00", MqttReasonCode.MalformedPacket, "acknowledge flag")]
    [InlineData("20 03 00 05 00", MqttReasonCode.ProtocolError, "CONNACK")]
    [InlineData("90 03 00 01 00", MqttReasonCode.ProtocolError, "no reason codes")]
    [InlineData("90 04 00 01 00 03", MqttReasonCode.ProtocolError, "0x03")]
    [InlineData("D0 01 00", MqttReasonCode.MalformedPacket, "trailing")]
    [InlineData("30 06 00 01 74 02 01 02", MqttReasonCode.ProtocolError, "PayloadFormatIndicator")]
    [InlineData("30 07 00 01 74 03 23 00 00", MqttReasonCode.ProtocolError, "TopicAlias")]
    [InlineData("82 07 00 01 00 00 01 74 C1", MqttReasonCode.MalformedPacket, "reserved subscription option")]
    [InlineData("30 03 00 05 74", MqttReasonCode.MalformedPacket, "topic name")]
    [InlineData("10 0E 00 04 4D 51 54 58 05 02 00 3C 00 00 01 61", MqttReasonCode.UnsupportedProtocolVersion, "MQTX")]
    [InlineData("10 0E 00 04 4D 51 54 54 05 03 00 3C 00 00 01 61", MqttReasonCode.MalformedPacket, "reserved connect flag")]
    [InlineData("B0 04 00 01 00 07", MqttReasonCode.ProtocolError, "UNSUBACK")]
    [InlineData("E0 01 05", MqttReasonCode.ProtocolError, "Disconnect")]
    public void Malformed_mqtt5_packets_name_the_problem_and_the_reason_code(string hex, MqttReasonCode expected, string messagePart)
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.Decode(Hex(hex), MqttProtocolVersion.V500));
        Assert.Equal(expected, error.ReasonCode);
        Assert.Contains(messagePart, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("E0 01 00", "trailing")]
    [InlineData("20 02 00 06", "return code 6")]
    [InlineData("10 0D 00 04 4D 51 54 54 04 42 00 3C 00 01 61", "password flag")]
    [InlineData("82 06 00 01 00 01 74 04", "reserved subscription option")]
    [InlineData("F0 00", "reserved")]
    public void Malformed_mqtt311_packets_are_rejected(string hex, string messagePart)
    {
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.Decode(Hex(hex), MqttProtocolVersion.V311));
        Assert.Contains(messagePart, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_packet_over_the_size_limit_is_refused_from_its_header_alone()
    {
        // Only the fixed header of a 1000-byte PUBLISH has arrived.
        var buffer = new ReadOnlySequence<byte>(Hex("30 E5 07"));
        var error = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.TryDecode(ref buffer, MqttProtocolVersion.V500, 256, out _));
        Assert.Equal(MqttReasonCode.PacketTooLarge, error.ReasonCode);
        Assert.Contains("1000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incomplete_packet_waits_for_more_data_without_consuming_anything()
    {
        var buffer = new ReadOnlySequence<byte>(Hex("30 05 00 01"));
        Assert.False(MqttPacketDecoder.TryDecode(ref buffer, MqttProtocolVersion.V500, 1024, out _));
        Assert.Equal(4, buffer.Length);
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
