namespace Appliance.Mqtt.Packets;

/// <summary>UNSUBSCRIBE: one or more topic filters.</summary>
public sealed class UnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<string> TopicFilters { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override byte FixedHeaderFlags => 0x02;

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        if (TopicFilters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter.");
        }

        WritePacketId(writer, PacketId, Type);
        WriteProperties(writer, Properties, MqttPropertyScope.Unsubscribe, version);
        foreach (var filter in TopicFilters)
        {
            writer.WriteString(filter, "topic filter");
        }
    }

    internal static UnsubscribePacket Read(ref MqttWireReader reader, MqttProtocolVersion version)
    {
        var packetId = ReadPacketId(ref reader);
        var properties = ReadProperties(ref reader, MqttPropertyScope.Unsubscribe, version);
        var filters = new List<string>();
        while (!reader.IsAtEnd)
        {
            filters.Add(reader.ReadString("topic filter"));
        }

        if (filters.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("UNSUBSCRIBE has no topic filters.");
        }

        return new UnsubscribePacket { PacketId = packetId, TopicFilters = filters, Properties = properties };
    }
}
