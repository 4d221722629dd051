namespace Appliance.Mqtt.Packets;

/// <summary>CONNECT (MQTT 5.0, 3.1; 3.1.1, 3.1).</summary>
public sealed class ConnectPacket : MqttPacket
{
    private const byte CleanStartFlag = 0x02;
    private const byte WillFlag = 0x04;
    private const byte WillRetainFlag = 0x20;
    private const byte PasswordFlag = 0x40;
    private const byte UserNameFlag = 0x80;

    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>May be empty: a 5.0 broker then assigns one (a 3.1.1 broker only with a clean session).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Clean Start in 5.0, Clean Session in 3.1.1.</summary>
    public bool CleanStart { get; init; } = true;

    public ushort KeepAliveSeconds { get; init; }

    public string? UserName { get; init; }

    public ReadOnlyMemory<byte>? Password { get; init; }

    public MqttWill? Will { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        // CONNECT announces its own version; the connection's version is whatever it says.
        version = ProtocolVersion;
        if (version is not (MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            throw new ArgumentException($"Protocol version {(byte)version} is neither 3.1.1 (4) nor 5.0 (5).");
        }

        if (version == MqttProtocolVersion.V311 && Password is not null && UserName is null)
        {
            throw new ArgumentException("MQTT 3.1.1 cannot send a password without a user name.");
        }

        writer.WriteString("MQTT", "protocol name");
        writer.WriteByte((byte)version);
        var flags = CleanStart ? CleanStartFlag : (byte)0;
        if (Will is { } will)
        {
            if (will.Qos > MqttQualityOfService.ExactlyOnce)
            {
                throw new ArgumentException($"Will QoS {(byte)will.Qos} is not 0, 1 or 2.");
            }

            flags |= (byte)(WillFlag | ((byte)will.Qos << 3) | (will.Retain ? WillRetainFlag : 0));
        }

        flags |= Password is null ? (byte)0 : PasswordFlag;
        flags |= UserName is null ? (byte)0 : UserNameFlag;
        writer.WriteByte(flags);
        writer.WriteUInt16(KeepAliveSeconds);
        WriteProperties(writer, Properties, MqttPropertyScope.Connect, version);
        writer.WriteString(ClientId, "client identifier");
        if (Will is { } willMessage)
        {
            WriteProperties(writer, willMessage.Properties, MqttPropertyScope.Will, version);
            writer.WriteString(willMessage.Topic, "will topic");
            writer.WriteBinary(willMessage.Payload.Span, "will payload");
        }

        if (UserName is not null)
        {
            writer.WriteString(UserName, "user name");
        }

        if (Password is { } password)
        {
            writer.WriteBinary(password.Span, "password");
        }
    }

    internal static ConnectPacket Read(ref MqttWireReader reader)
    {
        var protocolName = reader.ReadString("protocol name");
        var level = reader.ReadByte("protocol level");
        if (protocolName != "MQTT" || level is not ((byte)MqttProtocolVersion.V311 or (byte)MqttProtocolVersion.V500))
        {
            throw new MqttProtocolException(
                MqttReasonCode.UnsupportedProtocolVersion,
                $"CONNECT asks for protocol '{protocolName}' level {level}; only MQTT 3.1.1 (4) and 5.0 (5) are supported.");
        }

        var version = (MqttProtocolVersion)level;
        var flags = reader.ReadByte("connect flags");
        var hasWill = (flags & WillFlag) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & WillRetainFlag) != 0;
        if ((flags & 0x01) != 0)
        {
            MqttProtocolException.ThrowMalformed("CONNECT: the reserved connect flag (bit 0) is set.");
        }

        if (willQos == 3)
        {
            MqttProtocolException.ThrowMalformed("CONNECT: will QoS is 3.");
        }

        if (!hasWill && (willQos != 0 || willRetain))
        {
            MqttProtocolException.ThrowMalformed("CONNECT: will QoS or will retain is set without the will flag.");
        }

        var hasUserName = (flags & UserNameFlag) != 0;
        var hasPassword = (flags & PasswordFlag) != 0;
        if (version == MqttProtocolVersion.V311 && hasPassword && !hasUserName)
        {
            MqttProtocolException.ThrowMalformed("CONNECT: MQTT 3.1.1 password flag is set without the user name flag.");
        }

        var keepAlive = reader.ReadUInt16("keep alive");
        var properties = ReadProperties(ref reader, MqttPropertyScope.Connect, version);
        var clientId = reader.ReadString("client identifier");
        MqttWill? will = null;
        if (hasWill)
        {
            var willProperties = ReadProperties(ref reader, MqttPropertyScope.Will, version);
            var willTopic = reader.ReadString("will topic");
            if (MqttTopic.FindTopicNameProblem(willTopic) is { } problem)
            {
                MqttProtocolException.ThrowProtocolError($"CONNECT will topic: {problem}.");
            }

            will = new MqttWill
            {
                Topic = willTopic,
                Payload = reader.ReadBinary("will payload"),
                Qos = (MqttQualityOfService)willQos,
                Retain = willRetain,
                Properties = willProperties,
            };
        }

        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanStart = (flags & CleanStartFlag) != 0,
            KeepAliveSeconds = keepAlive,
            Will = will,
            UserName = hasUserName ? reader.ReadString("user name") : null,
            Password = hasPassword ? reader.ReadBinary("password") : (ReadOnlyMemory<byte>?)null,
            Properties = properties,
        };
    }
}
