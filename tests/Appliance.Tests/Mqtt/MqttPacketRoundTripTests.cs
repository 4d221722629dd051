using System.Buffers;
using System.Text;
using Appliance.Mqtt.Packets;

namespace Appliance.Tests.Mqtt;

public sealed class MqttPacketRoundTripTests
{
    private readonly MqttPacketEncoder _encoder = new();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public void Every_packet_type_decodes_to_what_was_encoded(MqttProtocolVersion version)
    {
        var types = new HashSet<MqttPacketType>();
        foreach (var packet in MqttTestPackets.All(version))
        {
            var bytes = _encoder.Encode(packet, version);
            var decoded = MqttPacketDecoder.Decode(bytes, version);
            Assert.Equal(packet.Type, decoded.Type);
            Assert.True(bytes.AsSpan().SequenceEqual(_encoder.Encode(decoded, version)), $"{packet.Type} changed in a {version} round trip");
            types.Add(packet.Type);
        }

        // Every type but AUTH, which this client does not support.
        Assert.Equal(14, types.Count);
    }

    [Fact]
    public void Mqtt5_publish_keeps_every_property()
    {
        var packet = (PublishPacket)MqttTestPackets.All(MqttProtocolVersion.V500).First(p => p is PublishPacket);
        var decoded = (PublishPacket)RoundTrip(packet, MqttProtocolVersion.V500);

        Assert.Equal("appliance/dev1/request", decoded.Topic);
        Assert.Equal("{\"prompt\":\"hi\"}", Encoding.UTF8.GetString(decoded.Payload.Span));
        Assert.Equal((MqttQualityOfService.AtLeastOnce, true, true, (ushort)513), (decoded.Qos, decoded.Retain, decoded.Dup, decoded.PacketId));
        var properties = decoded.Properties;
        Assert.Equal(MqttPayloadFormat.Utf8, properties.PayloadFormat);
        Assert.Equal(30u, properties.MessageExpiryInterval);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal("client/7/responses", properties.ResponseTopic);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, properties.CorrelationData!.Value.ToArray());
        Assert.Equal((ushort)3, properties.TopicAlias);
        Assert.Equal([1, 268_435_455], properties.SubscriptionIdentifiers);
        Assert.Equal(
            [new MqttUserProperty("model", "qwen3-0.6b"), new MqttUserProperty("model", "second value, same name")],
            properties.UserProperties);
    }

    [Fact]
    public void Mqtt5_connect_keeps_will_credentials_and_session_properties()
    {
        var packet = MqttTestPackets.All(MqttProtocolVersion.V500).OfType<ConnectPacket>().First();
        var decoded = (ConnectPacket)RoundTrip(packet, MqttProtocolVersion.V500);

        Assert.Equal((MqttProtocolVersion.V500, "device-01", false, (ushort)45), (decoded.ProtocolVersion, decoded.ClientId, decoded.CleanStart, decoded.KeepAliveSeconds));
        Assert.Equal("appliance", decoded.UserName);
        Assert.Equal("p\u00e4ss", Encoding.UTF8.GetString(decoded.Password!.Value.Span));
        Assert.Equal((3600u, (ushort?)20, 65536u), (decoded.Properties.SessionExpiryInterval!.Value, decoded.Properties.ReceiveMaximum, decoded.Properties.MaximumPacketSize!.Value));
        var will = decoded.Will!;
        Assert.Equal(("appliance/dev1/status", "offline", MqttQualityOfService.AtLeastOnce, true), (will.Topic, Encoding.UTF8.GetString(will.Payload.Span), will.Qos, will.Retain));
        Assert.Equal((5u, "text/plain", "appliance/dev1/ack"), (will.Properties.WillDelayInterval!.Value, will.Properties.ContentType, will.Properties.ResponseTopic));
    }

    [Fact]
    public void Connack_properties_survive_a_round_trip()
    {
        var packet = MqttTestPackets.All(MqttProtocolVersion.V500).OfType<ConnAckPacket>().First();
        var decoded = (ConnAckPacket)RoundTrip(packet, MqttProtocolVersion.V500);
        var properties = decoded.Properties;

        Assert.True(decoded.SessionPresent);
        Assert.Equal("auto-42", properties.AssignedClientIdentifier);
        Assert.Equal((ushort?)30, properties.ServerKeepAlive);
        Assert.Equal((ushort?)10, properties.ReceiveMaximum);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, properties.MaximumQos);
        Assert.Equal(false, properties.RetainAvailable);
        Assert.Equal(1_000_000u, properties.MaximumPacketSize);
        Assert.Equal("because \u2713", properties.ReasonString);
        Assert.Equal((true, false, true), (properties.WildcardSubscriptionAvailable!.Value, properties.SubscriptionIdentifierAvailable!.Value, properties.SharedSubscriptionAvailable!.Value));
    }

    [Fact]
    public void Subscribe_options_and_acknowledgement_codes_survive_a_round_trip()
    {
        var subscribe = (SubscribePacket)RoundTrip(MqttTestPackets.All(MqttProtocolVersion.V500).OfType<SubscribePacket>().First(), MqttProtocolVersion.V500);
        Assert.Equal(
            new MqttTopicSubscription("appliance/+/request", MqttQualityOfService.AtLeastOnce)
            {
                NoLocal = true,
                RetainAsPublished = true,
                RetainHandling = MqttRetainHandling.DoNotSend,
            },
            subscribe.Subscriptions[0]);
        Assert.Equal([300], subscribe.Properties.SubscriptionIdentifiers);

        var subAck = (SubAckPacket)RoundTrip(MqttTestPackets.All(MqttProtocolVersion.V311).OfType<SubAckPacket>().First(), MqttProtocolVersion.V311);
        Assert.Equal([MqttReasonCode.GrantedQoS1, MqttReasonCode.UnspecifiedError, MqttReasonCode.GrantedQoS2], subAck.ReasonCodes);
    }

    [Theory]
    [InlineData("C0 00", MqttPacketType.PingReq)]
    [InlineData("D0 00", MqttPacketType.PingResp)]
    [InlineData("E0 00", MqttPacketType.Disconnect)]
    [InlineData("40 02 00 01", MqttPacketType.PubAck)]
    [InlineData("62 02 00 09", MqttPacketType.PubRel)]
    public void Short_packets_match_the_specification_bytes(string hex, MqttPacketType type)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        var packet = MqttPacketDecoder.Decode(bytes, MqttProtocolVersion.V500);
        Assert.Equal(type, packet.Type);
        Assert.Equal(bytes, _encoder.Encode(packet, MqttProtocolVersion.V500));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 61")]
    [InlineData(MqttProtocolVersion.V500, "10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 61")]
    public void Minimal_connect_matches_the_specification_layout(MqttProtocolVersion version, string hex)
    {
        var connect = new ConnectPacket { ProtocolVersion = version, ClientId = "a", KeepAliveSeconds = 60 };
        Assert.Equal(hex, Convert.ToHexString(_encoder.Encode(connect, version)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => $"{a} {b}"));
    }

    [Fact]
    public void A_311_broker_refusal_of_a_v5_connect_reads_as_unsupported_protocol_version()
    {
        // CONNACK, remaining length 2, no session, return code 1 (unacceptable protocol version).
        var ack = (ConnAckPacket)MqttPacketDecoder.Decode([0x20, 0x02, 0x00, 0x01], MqttProtocolVersion.V500);
        Assert.Equal(MqttReasonCode.UnsupportedProtocolVersion, ack.ReasonCode);
    }

    [Fact]
    public void Packets_split_across_segments_and_arriving_piecewise_decode_in_order()
    {
        var packets = MqttTestPackets.All(MqttProtocolVersion.V500).ToList();
        var stream = packets.SelectMany(p => _encoder.Encode(p, MqttProtocolVersion.V500)).ToArray();

        // Feed the stream in growing prefixes cut into 3-byte segments: nothing decodes early, everything decodes once.
        var decoded = new List<MqttPacket>();
        var consumed = 0;
        for (var end = 1; end <= stream.Length; end++)
        {
            var buffer = SegmentedSequence.Create(stream.AsMemory(consumed, end - consumed), segmentLength: 3);
            while (MqttPacketDecoder.TryDecode(ref buffer, MqttProtocolVersion.V500, int.MaxValue, out var packet))
            {
                decoded.Add(packet);
            }

            consumed = end - (int)buffer.Length;
        }

        Assert.Equal(packets.Select(p => p.Type), decoded.Select(p => p.Type));
        Assert.Equal(stream.Length, consumed);
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Variable_byte_integers_use_the_specification_encoding(int value, string hex)
    {
        Span<byte> buffer = stackalloc byte[4];
        var length = MqttVariableByteInteger.Write(value, buffer);
        Assert.Equal(hex, Convert.ToHexString(buffer[..length]));
        Assert.True(MqttVariableByteInteger.TryRead(buffer[..length], "test", out var read, out var consumed));
        Assert.Equal((value, length), (read, consumed));
    }

    [Fact]
    public void Encoding_refuses_values_the_protocol_cannot_carry()
    {
        var tooLong = new PublishPacket { Topic = new string('t', 70_000) };
        Assert.Contains("at most 65535", Assert.Throws<ArgumentException>(() => _encoder.Encode(tooLong, MqttProtocolVersion.V500)).Message, StringComparison.Ordinal);

        var propertiesOn311 = new PublishPacket { Topic = "t", Properties = new MqttProperties { ContentType = "text/plain" } };
        Assert.Contains("3.1.1", Assert.Throws<ArgumentException>(() => _encoder.Encode(propertiesOn311, MqttProtocolVersion.V311)).Message, StringComparison.Ordinal);

        var wrongScope = new PublishPacket { Topic = "t", Properties = new MqttProperties { AssignedClientIdentifier = "x" } };
        Assert.Contains("AssignedClientIdentifier", Assert.Throws<ArgumentException>(() => _encoder.Encode(wrongScope, MqttProtocolVersion.V500)).Message, StringComparison.Ordinal);

        var noPacketId = new PublishPacket { Topic = "t", Qos = MqttQualityOfService.AtLeastOnce };
        Assert.Contains("packet identifier", Assert.Throws<ArgumentException>(() => _encoder.Encode(noPacketId, MqttProtocolVersion.V500)).Message, StringComparison.Ordinal);

        var loneSurrogate = new PublishPacket { Topic = "t\ud800" };
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => _encoder.Encode(loneSurrogate, MqttProtocolVersion.V500)).Message, StringComparison.Ordinal);
    }

    private MqttPacket RoundTrip(MqttPacket packet, MqttProtocolVersion version) =>
        MqttPacketDecoder.Decode(_encoder.Encode(packet, version), version);
}

/// <summary>Builds a multi-segment sequence, as a pipe hands over data that arrived in pieces.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(ReadOnlyMemory<byte> data, int segmentLength)
    {
        if (data.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new SegmentedSequence(data[..segmentLength], 0);
        var last = first;
        for (var offset = segmentLength; offset < data.Length; offset += segmentLength)
        {
            var next = new SegmentedSequence(data.Slice(offset, Math.Min(segmentLength, data.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
