namespace Appliance.Mqtt.Packets;

/// <summary>Reads and writes MQTT 5 property blocks, enforcing where each property may appear and what values it may hold.</summary>
internal static class MqttPropertyCodec
{
    private const MqttPropertyScope MessageScopes = MqttPropertyScope.Publish | MqttPropertyScope.Will;

    private const MqttPropertyScope ReasonStringScopes = MqttPropertyScope.ConnAck | MqttPropertyScope.PublishResponse
        | MqttPropertyScope.SubAck | MqttPropertyScope.UnsubAck | MqttPropertyScope.Disconnect | MqttPropertyScope.Auth;

    public static MqttPropertyScope AllowedScopes(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType
            or MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData => MessageScopes,
        MqttPropertyId.SubscriptionIdentifier => MqttPropertyScope.Publish | MqttPropertyScope.Subscribe,
        MqttPropertyId.SessionExpiryInterval => MqttPropertyScope.Connect | MqttPropertyScope.ConnAck | MqttPropertyScope.Disconnect,
        MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData =>
            MqttPropertyScope.Connect | MqttPropertyScope.ConnAck | MqttPropertyScope.Auth,
        MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation => MqttPropertyScope.Connect,
        MqttPropertyId.WillDelayInterval => MqttPropertyScope.Will,
        MqttPropertyId.ServerReference => MqttPropertyScope.ConnAck | MqttPropertyScope.Disconnect,
        MqttPropertyId.ReasonString => ReasonStringScopes,
        MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.MaximumPacketSize =>
            MqttPropertyScope.Connect | MqttPropertyScope.ConnAck,
        MqttPropertyId.TopicAlias => MqttPropertyScope.Publish,
        MqttPropertyId.UserProperty => ~MqttPropertyScope.None,
        MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation
            or MqttPropertyId.MaximumQos or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable
            or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => MqttPropertyScope.ConnAck,
        _ => MqttPropertyScope.None,
    };

    public static MqttProperties Read(ref MqttWireReader reader, MqttPropertyScope scope)
    {
        var length = reader.ReadVariableByteInteger("property length");
        var block = reader.ReadBlock(length, "properties");
        var properties = new MqttProperties();
        ulong seen = 0;
        while (!block.IsAtEnd)
        {
            var raw = block.ReadVariableByteInteger("property identifier");
            var id = (MqttPropertyId)raw;
            if ((AllowedScopes(id) & scope) == 0)
            {
                MqttProtocolException.ThrowMalformed($"Property identifier 0x{raw:X2} is not valid in {scope} properties.");
            }

            // Allowed identifiers are all below 64, so one bit each tracks repeats.
            var bit = 1UL << raw;
            var mayRepeat = id == MqttPropertyId.UserProperty
                || (id == MqttPropertyId.SubscriptionIdentifier && scope == MqttPropertyScope.Publish);
            if (!mayRepeat && (seen & bit) != 0)
            {
                MqttProtocolException.ThrowProtocolError($"Property {id} appears more than once in {scope} properties.");
            }

            seen |= bit;
            ReadValue(ref block, id, properties);
        }

        return properties;
    }

    private static void ReadValue(ref MqttWireReader block, MqttPropertyId id, MqttProperties properties)
    {
        var field = NameOf(id);
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator:
                properties.PayloadFormat = ReadBoolean(ref block, field) ? MqttPayloadFormat.Utf8 : MqttPayloadFormat.Bytes;
                break;
            case MqttPropertyId.MessageExpiryInterval:
                properties.MessageExpiryInterval = block.ReadUInt32(field);
                break;
            case MqttPropertyId.ContentType:
                properties.ContentType = block.ReadString(field);
                break;
            case MqttPropertyId.ResponseTopic:
                var responseTopic = block.ReadString(field);
                if (MqttTopic.FindTopicNameProblem(responseTopic) is { } problem)
                {
                    MqttProtocolException.ThrowProtocolError($"{field}: {problem}.");
                }

                properties.ResponseTopic = responseTopic;
                break;
            case MqttPropertyId.CorrelationData:
                properties.CorrelationData = block.ReadBinary(field);
                break;
            case MqttPropertyId.SubscriptionIdentifier:
                var subscriptionId = block.ReadVariableByteInteger(field);
                if (subscriptionId == 0)
                {
                    MqttProtocolException.ThrowProtocolError($"{field} is 0; it must be 1..{MqttVariableByteInteger.MaxValue}.");
                }

                properties.SubscriptionIdentifiers.Add(subscriptionId);
                break;
            case MqttPropertyId.SessionExpiryInterval:
                properties.SessionExpiryInterval = block.ReadUInt32(field);
                break;
            case MqttPropertyId.AssignedClientIdentifier:
                properties.AssignedClientIdentifier = block.ReadString(field);
                break;
            case MqttPropertyId.ServerKeepAlive:
                properties.ServerKeepAlive = block.ReadUInt16(field);
                break;
            case MqttPropertyId.AuthenticationMethod:
                properties.AuthenticationMethod = block.ReadString(field);
                break;
            case MqttPropertyId.AuthenticationData:
                properties.AuthenticationData = block.ReadBinary(field);
                break;
            case MqttPropertyId.RequestProblemInformation:
                properties.RequestProblemInformation = ReadBoolean(ref block, field);
                break;
            case MqttPropertyId.WillDelayInterval:
                properties.WillDelayInterval = block.ReadUInt32(field);
                break;
            case MqttPropertyId.RequestResponseInformation:
                properties.RequestResponseInformation = ReadBoolean(ref block, field);
                break;
            case MqttPropertyId.ResponseInformation:
                properties.ResponseInformation = block.ReadString(field);
                break;
            case MqttPropertyId.ServerReference:
                properties.ServerReference = block.ReadString(field);
                break;
            case MqttPropertyId.ReasonString:
                properties.ReasonString = block.ReadString(field);
                break;
            case MqttPropertyId.ReceiveMaximum:
                properties.ReceiveMaximum = ReadNonZeroUInt16(ref block, field);
                break;
            case MqttPropertyId.TopicAliasMaximum:
                properties.TopicAliasMaximum = block.ReadUInt16(field);
                break;
            case MqttPropertyId.TopicAlias:
                properties.TopicAlias = ReadNonZeroUInt16(ref block, field);
                break;
            case MqttPropertyId.MaximumQos:
                properties.MaximumQos = ReadBoolean(ref block, field) ? MqttQualityOfService.AtLeastOnce : MqttQualityOfService.AtMostOnce;
                break;
            case MqttPropertyId.RetainAvailable:
                properties.RetainAvailable = ReadBoolean(ref block, field);
                break;
            case MqttPropertyId.UserProperty:
                var name = block.ReadString("UserProperty name");
                properties.UserProperties.Add(new MqttUserProperty(name, block.ReadString("UserProperty value")));
                break;
            case MqttPropertyId.MaximumPacketSize:
                var maximumPacketSize = block.ReadUInt32(field);
                if (maximumPacketSize == 0)
                {
                    MqttProtocolException.ThrowProtocolError($"{field} is 0.");
                }

                properties.MaximumPacketSize = maximumPacketSize;
                break;
            case MqttPropertyId.WildcardSubscriptionAvailable:
                properties.WildcardSubscriptionAvailable = ReadBoolean(ref block, field);
                break;
            case MqttPropertyId.SubscriptionIdentifierAvailable:
                properties.SubscriptionIdentifierAvailable = ReadBoolean(ref block, field);
                break;
            case MqttPropertyId.SharedSubscriptionAvailable:
                properties.SharedSubscriptionAvailable = ReadBoolean(ref block, field);
                break;
            default:
                throw new InvalidOperationException($"Property {id} passed the scope check but has no reader.");
        }
    }

    /// <summary>The property's name for error messages, without boxing the enum on every property read.</summary>
    private static string NameOf(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator => nameof(MqttPropertyId.PayloadFormatIndicator),
        MqttPropertyId.MessageExpiryInterval => nameof(MqttPropertyId.MessageExpiryInterval),
        MqttPropertyId.ContentType => nameof(MqttPropertyId.ContentType),
        MqttPropertyId.ResponseTopic => nameof(MqttPropertyId.ResponseTopic),
        MqttPropertyId.CorrelationData => nameof(MqttPropertyId.CorrelationData),
        MqttPropertyId.SubscriptionIdentifier => nameof(MqttPropertyId.SubscriptionIdentifier),
        MqttPropertyId.SessionExpiryInterval => nameof(MqttPropertyId.SessionExpiryInterval),
        MqttPropertyId.AssignedClientIdentifier => nameof(MqttPropertyId.AssignedClientIdentifier),
        MqttPropertyId.ServerKeepAlive => nameof(MqttPropertyId.ServerKeepAlive),
        MqttPropertyId.AuthenticationMethod => nameof(MqttPropertyId.AuthenticationMethod),
        MqttPropertyId.AuthenticationData => nameof(MqttPropertyId.AuthenticationData),
        MqttPropertyId.RequestProblemInformation => nameof(MqttPropertyId.RequestProblemInformation),
        MqttPropertyId.WillDelayInterval => nameof(MqttPropertyId.WillDelayInterval),
        MqttPropertyId.RequestResponseInformation => nameof(MqttPropertyId.RequestResponseInformation),
        MqttPropertyId.ResponseInformation => nameof(MqttPropertyId.ResponseInformation),
        MqttPropertyId.ServerReference => nameof(MqttPropertyId.ServerReference),
        MqttPropertyId.ReasonString => nameof(MqttPropertyId.ReasonString),
        MqttPropertyId.ReceiveMaximum => nameof(MqttPropertyId.ReceiveMaximum),
        MqttPropertyId.TopicAliasMaximum => nameof(MqttPropertyId.TopicAliasMaximum),
        MqttPropertyId.TopicAlias => nameof(MqttPropertyId.TopicAlias),
        MqttPropertyId.MaximumQos => nameof(MqttPropertyId.MaximumQos),
        MqttPropertyId.RetainAvailable => nameof(MqttPropertyId.RetainAvailable),
        MqttPropertyId.UserProperty => nameof(MqttPropertyId.UserProperty),
        MqttPropertyId.MaximumPacketSize => nameof(MqttPropertyId.MaximumPacketSize),
        MqttPropertyId.WildcardSubscriptionAvailable => nameof(MqttPropertyId.WildcardSubscriptionAvailable),
        MqttPropertyId.SubscriptionIdentifierAvailable => nameof(MqttPropertyId.SubscriptionIdentifierAvailable),
        MqttPropertyId.SharedSubscriptionAvailable => nameof(MqttPropertyId.SharedSubscriptionAvailable),
        _ => "unknown property",
    };

    private static bool ReadBoolean(ref MqttWireReader block, string field)
    {
        var value = block.ReadByte(field);
        if (value > 1)
        {
            MqttProtocolException.ThrowProtocolError($"{field} is {value}; only 0 or 1 is allowed.");
        }

        return value == 1;
    }

    private static ushort ReadNonZeroUInt16(ref MqttWireReader block, string field)
    {
        var value = block.ReadUInt16(field);
        if (value == 0)
        {
            MqttProtocolException.ThrowProtocolError($"{field} is 0.");
        }

        return value;
    }

    public static void Write(MqttWireWriter writer, MqttProperties properties, MqttPropertyScope scope)
    {
        if (properties.PayloadFormat is { } format)
        {
            Header(writer, MqttPropertyId.PayloadFormatIndicator, scope);
            writer.WriteByte(format switch
            {
                MqttPayloadFormat.Bytes or MqttPayloadFormat.Utf8 => (byte)format,
                _ => throw new ArgumentException($"PayloadFormat {(byte)format} is neither Bytes (0) nor Utf8 (1)."),
            });
        }

        WriteUInt32(writer, MqttPropertyId.MessageExpiryInterval, properties.MessageExpiryInterval, scope);
        WriteString(writer, MqttPropertyId.ContentType, properties.ContentType, scope);
        WriteString(writer, MqttPropertyId.ResponseTopic, properties.ResponseTopic, scope);
        WriteBinary(writer, MqttPropertyId.CorrelationData, properties.CorrelationData, scope);
        WriteSubscriptionIdentifiers(writer, properties, scope);
        WriteUInt32(writer, MqttPropertyId.SessionExpiryInterval, properties.SessionExpiryInterval, scope);
        WriteString(writer, MqttPropertyId.AssignedClientIdentifier, properties.AssignedClientIdentifier, scope);
        WriteUInt16(writer, MqttPropertyId.ServerKeepAlive, properties.ServerKeepAlive, scope);
        WriteString(writer, MqttPropertyId.AuthenticationMethod, properties.AuthenticationMethod, scope);
        WriteBinary(writer, MqttPropertyId.AuthenticationData, properties.AuthenticationData, scope);
        WriteBoolean(writer, MqttPropertyId.RequestProblemInformation, properties.RequestProblemInformation, scope);
        WriteUInt32(writer, MqttPropertyId.WillDelayInterval, properties.WillDelayInterval, scope);
        WriteBoolean(writer, MqttPropertyId.RequestResponseInformation, properties.RequestResponseInformation, scope);
        WriteString(writer, MqttPropertyId.ResponseInformation, properties.ResponseInformation, scope);
        WriteString(writer, MqttPropertyId.ServerReference, properties.ServerReference, scope);
        WriteString(writer, MqttPropertyId.ReasonString, properties.ReasonString, scope);
        WriteUInt16(writer, MqttPropertyId.ReceiveMaximum, NonZero(properties.ReceiveMaximum, "ReceiveMaximum"), scope);
        WriteUInt16(writer, MqttPropertyId.TopicAliasMaximum, properties.TopicAliasMaximum, scope);
        WriteUInt16(writer, MqttPropertyId.TopicAlias, NonZero(properties.TopicAlias, "TopicAlias"), scope);
        if (properties.MaximumQos is { } maximumQos)
        {
            if (maximumQos > MqttQualityOfService.AtLeastOnce)
            {
                throw new ArgumentException($"MaximumQos {maximumQos} is not allowed; a server advertises only AtMostOnce or AtLeastOnce.");
            }

            Header(writer, MqttPropertyId.MaximumQos, scope);
            writer.WriteByte((byte)maximumQos);
        }

        WriteBoolean(writer, MqttPropertyId.RetainAvailable, properties.RetainAvailable, scope);
        if (properties.UserPropertyCount > 0)
        {
            // Indexed: foreach over the IList would box its enumerator for every packet.
            var userProperties = properties.UserProperties;
            for (var i = 0; i < userProperties.Count; i++)
            {
                var property = userProperties[i];
                Header(writer, MqttPropertyId.UserProperty, scope);
                writer.WriteString(property.Name, "UserProperty name");
                writer.WriteString(property.Value, "UserProperty value");
            }
        }

        if (properties.MaximumPacketSize == 0)
        {
            throw new ArgumentException("MaximumPacketSize must not be 0.");
        }

        WriteUInt32(writer, MqttPropertyId.MaximumPacketSize, properties.MaximumPacketSize, scope);
        WriteBoolean(writer, MqttPropertyId.WildcardSubscriptionAvailable, properties.WildcardSubscriptionAvailable, scope);
        WriteBoolean(writer, MqttPropertyId.SubscriptionIdentifierAvailable, properties.SubscriptionIdentifierAvailable, scope);
        WriteBoolean(writer, MqttPropertyId.SharedSubscriptionAvailable, properties.SharedSubscriptionAvailable, scope);
    }

    private static void WriteSubscriptionIdentifiers(MqttWireWriter writer, MqttProperties properties, MqttPropertyScope scope)
    {
        if (properties.SubscriptionIdentifierCount == 0)
        {
            return;
        }

        if (scope == MqttPropertyScope.Subscribe && properties.SubscriptionIdentifierCount > 1)
        {
            throw new ArgumentException($"SUBSCRIBE carries at most one SubscriptionIdentifier, got {properties.SubscriptionIdentifierCount}.");
        }

        foreach (var identifier in properties.SubscriptionIdentifiers)
        {
            if (identifier is < 1 or > MqttVariableByteInteger.MaxValue)
            {
                throw new ArgumentException($"SubscriptionIdentifier {identifier} is outside 1..{MqttVariableByteInteger.MaxValue}.");
            }

            Header(writer, MqttPropertyId.SubscriptionIdentifier, scope);
            writer.WriteVariableByteInteger(identifier);
        }
    }

    private static ushort? NonZero(ushort? value, string name) =>
        value == 0 ? throw new ArgumentException($"{name} must not be 0.") : value;

    private static void Header(MqttWireWriter writer, MqttPropertyId id, MqttPropertyScope scope)
    {
        if ((AllowedScopes(id) & scope) == 0)
        {
            throw new ArgumentException($"Property {id} cannot be sent in {scope} properties.");
        }

        writer.WriteVariableByteInteger((int)id);
    }

    private static void WriteBoolean(MqttWireWriter writer, MqttPropertyId id, bool? value, MqttPropertyScope scope)
    {
        if (value is { } flag)
        {
            Header(writer, id, scope);
            writer.WriteByte(flag ? (byte)1 : (byte)0);
        }
    }

    private static void WriteUInt16(MqttWireWriter writer, MqttPropertyId id, ushort? value, MqttPropertyScope scope)
    {
        if (value is { } number)
        {
            Header(writer, id, scope);
            writer.WriteUInt16(number);
        }
    }

    private static void WriteUInt32(MqttWireWriter writer, MqttPropertyId id, uint? value, MqttPropertyScope scope)
    {
        if (value is { } number)
        {
            Header(writer, id, scope);
            writer.WriteUInt32(number);
        }
    }

    private static void WriteString(MqttWireWriter writer, MqttPropertyId id, string? value, MqttPropertyScope scope)
    {
        if (value is not null)
        {
            Header(writer, id, scope);
            writer.WriteString(value, NameOf(id));
        }
    }

    private static void WriteBinary(MqttWireWriter writer, MqttPropertyId id, ReadOnlyMemory<byte>? value, MqttPropertyScope scope)
    {
        if (value is { } bytes)
        {
            Header(writer, id, scope);
            writer.WriteBinary(bytes.Span, NameOf(id));
        }
    }
}
