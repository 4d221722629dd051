using System.Text;

namespace Appliance.Tests.Mqtt;

/// <summary>
/// The bytes of a minimal CONNECT and QoS 1 PUBLISH (3.1.1 or 5.0, with the properties given), and seeded corruption of them:
/// what a broken client would put on the wire, for tests that check the broker keeps it away from the service.
/// </summary>
internal static class RawMqttPackets
{
    public static byte[] Connect(bool v5, string clientId, ushort keepAliveSeconds = 30)
    {
        var body = new List<byte>();
        AddString(body, "MQTT");
        body.Add(v5 ? (byte)5 : (byte)4);
        body.Add(0x02); // Clean Start
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        if (v5)
        {
            body.Add(0); // no properties
        }

        AddString(body, clientId);
        return Frame(0x10, body);
    }

    /// <param name="properties">5.0 only: the encoded property block (without its length), for properties no client library would send.</param>
    public static byte[] Publish(bool v5, string topic, byte[] payload, ushort packetId, byte[]? properties = null)
    {
        var body = new List<byte>();
        AddString(body, topic);
        body.Add((byte)(packetId >> 8));
        body.Add((byte)packetId);
        if (v5)
        {
            properties ??= [];
            body.Add((byte)properties.Length); // short blocks only: one length byte
            body.AddRange(properties);
        }

        body.AddRange(payload);
        return Frame(0x32, body);
    }

    /// <summary>Seeded corruption, mostly inside the body with the length kept consistent so the broker's body decoders are reached.</summary>
    public static byte[] Mutate(byte[] packet, Random random)
    {
        var (_, lengthSize) = ReadLength(packet);
        var body = packet[(1 + lengthSize)..].ToList();
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

        return Frame(first, body);
    }

    private static byte[] Frame(byte first, List<byte> body)
    {
        var framed = new List<byte> { first };
        var length = body.Count;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            framed.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        framed.AddRange(body);
        return [.. framed];
    }

    private static (int Length, int Size) ReadLength(byte[] packet)
    {
        int length = 0, multiplier = 1, size = 0;
        byte digit;
        do
        {
            digit = packet[1 + size++];
            length += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        }
        while ((digit & 0x80) != 0 && size < 4);
        return (length, size);
    }

    private static void AddString(List<byte> body, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        body.Add((byte)(bytes.Length >> 8));
        body.Add((byte)bytes.Length);
        body.AddRange(bytes);
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
