using Appliance.Mqtt.Packets;

namespace Appliance.Tests.Mqtt;

/// <summary>Seeded mutations of valid packets: the decoder either returns a packet or throws MqttProtocolException, nothing else.</summary>
public sealed class MqttPacketDecoderFuzzTests
{
    private const int Cases = 3000;

    [Theory]
    [InlineData(MqttProtocolVersion.V500, 20_240_611)]
    [InlineData(MqttProtocolVersion.V311, 7)]
    public void Mutated_packets_only_ever_raise_protocol_exceptions(MqttProtocolVersion version, int seed)
    {
        var corpus = MqttTestPackets.All(version).Select(p => new MqttPacketEncoder().Encode(p, version)).ToArray();
        var random = new Random(seed);
        var rejected = new Dictionary<MqttReasonCode, int>();
        for (var i = 0; i < Cases; i++)
        {
            var input = MqttFuzzer.Mutate(corpus[random.Next(corpus.Length)], random);
            try
            {
                var packet = MqttPacketDecoder.Decode(input, version);

                // Whatever the decoder accepts must be a packet the encoder can write back.
                new MqttPacketEncoder().Encode(packet, version);
            }
            catch (MqttProtocolException e)
            {
                rejected[e.ReasonCode] = rejected.GetValueOrDefault(e.ReasonCode) + 1;
            }
            catch (Exception e)
            {
                Assert.Fail($"Case {i}: {e.GetType().Name} for input {Convert.ToHexString(input)}: {e.Message}");
            }
        }

        Assert.True(rejected.Values.Sum() >= 200, $"only {rejected.Values.Sum()} of {Cases} mutations were rejected");
        Assert.Contains(MqttReasonCode.MalformedPacket, rejected.Keys);
        Assert.Contains(MqttReasonCode.ProtocolError, rejected.Keys);
    }

    [Fact]
    public void Mutated_streams_decoded_from_segmented_buffers_only_raise_protocol_exceptions()
    {
        var version = MqttProtocolVersion.V500;
        var corpus = MqttTestPackets.All(version).Select(p => new MqttPacketEncoder().Encode(p, version)).ToArray();
        var random = new Random(99);
        var rejected = 0;
        for (var i = 0; i < 500; i++)
        {
            var input = MqttFuzzer.Mutate(corpus[random.Next(corpus.Length)], random);
            var buffer = SegmentedSequence.Create(input, segmentLength: 1 + random.Next(8));
            try
            {
                while (MqttPacketDecoder.TryDecode(ref buffer, version, 4096, out _))
                {
                }
            }
            catch (MqttProtocolException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"Case {i}: {e.GetType().Name} for input {Convert.ToHexString(input)}: {e.Message}");
            }
        }

        Assert.True(rejected >= 100, $"only {rejected} of 500 mutated streams were rejected");
    }
}

/// <summary>Seeded corruption of an encoded packet, mostly inside the body with the length kept consistent so body decoders are reached.</summary>
internal static class MqttFuzzer
{
    public static byte[] Mutate(byte[] packet, Random random)
    {
        var headerLength = 1 + HeaderVbiLength(packet);
        var body = packet[headerLength..].ToList();
        var first = packet[0];
        switch (random.Next(8))
        {
            case 0 when body.Count > 0:
                var bit = random.Next(body.Count * 8);
                body[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when body.Count > 0:
                body[random.Next(body.Count)] = (byte)random.Next(256);
                break;
            case 2:
                body.InsertRange(random.Next(body.Count + 1), RandomBytes(random, 1 + random.Next(4)));
                break;
            case 3 when body.Count > 0:
                var start = random.Next(body.Count);
                body.RemoveRange(start, 1 + random.Next(Math.Min(4, body.Count - start)));
                break;
            case 4:
                first = (byte)((first & 0xF0) | random.Next(16));
                break;
            case 5:
                first = (byte)((random.Next(16) << 4) | (first & 0x0F));
                break;
            case 6:
                // Raw corruption of the framing itself: the length no longer matches.
                var raw = packet.ToArray();
                raw[random.Next(raw.Length)] = (byte)random.Next(256);
                return raw;
            default:
                body = [.. RandomBytes(random, random.Next(24))];
                break;
        }

        var length = new byte[4];
        var lengthSize = MqttVariableByteInteger.Write(body.Count, length);
        return [first, .. length[..lengthSize], .. body];
    }

    private static int HeaderVbiLength(byte[] packet)
    {
        MqttVariableByteInteger.TryRead(packet.AsSpan(1), "test", out _, out var consumed);
        return consumed;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
