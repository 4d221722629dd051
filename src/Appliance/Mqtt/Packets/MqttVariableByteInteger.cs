namespace Appliance.Mqtt.Packets;

/// <summary>The 1-4 byte little-endian base-128 integer MQTT uses for lengths (MQTT 5.0, 1.5.5).</summary>
public static class MqttVariableByteInteger
{
    public const int MaxValue = 268_435_455;
    public const int MaxLength = 4;

    public static int SizeOf(int value) => value switch
    {
        < 0 or > MaxValue => throw new ArgumentOutOfRangeException(nameof(value), value, $"A variable byte integer holds 0..{MaxValue}."),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    public static int Write(int value, Span<byte> destination)
    {
        var size = SizeOf(value);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = value > 0 ? (byte)(digit | 0x80) : digit;
        }

        return size;
    }

    /// <summary>
    /// Decodes from the start of <paramref name="source"/>. Returns false when the source ends before the last byte;
    /// throws <see cref="MqttProtocolException"/> for a fifth byte or a non-minimal encoding.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, string field, out int value, out int consumed)
    {
        value = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i >= source.Length)
            {
                consumed = 0;
                return false;
            }

            var b = source[i];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    MqttProtocolException.ThrowMalformed($"{field}: variable byte integer is not minimally encoded ({i + 1} bytes ending in 0x00).");
                }

                consumed = i + 1;
                return true;
            }
        }

        MqttProtocolException.ThrowMalformed($"{field}: variable byte integer continues past {MaxLength} bytes.");
        consumed = 0;
        return false;
    }
}
