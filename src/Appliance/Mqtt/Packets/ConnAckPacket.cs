namespace Appliance.Mqtt.Packets;

/// <summary>CONNACK. A 3.1.1 return code is mapped onto the matching 5.0 reason code.</summary>
public sealed class ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal override void WriteBody(MqttWireWriter writer, MqttProtocolVersion version)
    {
        writer.WriteByte(SessionPresent ? (byte)1 : (byte)0);
        if (version == MqttProtocolVersion.V311)
        {
            writer.WriteByte(ToReturnCode(ReasonCode));
        }
        else
        {
            if (!MqttReasonCodes.IsValidFor(MqttPacketType.ConnAck, ReasonCode))
            {
                throw new ArgumentException($"Reason code {MqttReasonCodes.Describe(ReasonCode)} is not valid in CONNACK.");
            }

            writer.WriteByte((byte)ReasonCode);
        }

        WriteProperties(writer, Properties, MqttPropertyScope.ConnAck, version);
    }

    internal static ConnAckPacket Read(ref MqttWireReader reader, MqttProtocolVersion version)
    {
        var flags = reader.ReadByte("acknowledge flags");
        if ((flags & 0xFE) != 0)
        {
            MqttProtocolException.ThrowMalformed($"CONNACK: reserved acknowledge flag bits are set (0x{flags:X2}).");
        }

        var code = reader.ReadByte("reason code");

        // A 3.1.1 broker answers a 5.0 CONNECT with its own two-byte refusal (return code 1: unacceptable protocol version).
        var legacyRefusal = version == MqttProtocolVersion.V500 && reader.IsAtEnd && code is >= 1 and <= 5;
        if (version == MqttProtocolVersion.V311 || legacyRefusal)
        {
            return new ConnAckPacket { SessionPresent = flags == 1, ReasonCode = FromReturnCode(code) };
        }

        var reasonCode = (MqttReasonCode)code;
        if (!MqttReasonCodes.IsValidFor(MqttPacketType.ConnAck, reasonCode))
        {
            MqttProtocolException.ThrowProtocolError($"Reason code 0x{code:X2} is not valid in CONNACK.");
        }

        return new ConnAckPacket
        {
            SessionPresent = flags == 1,
            ReasonCode = reasonCode,
            Properties = MqttPropertyCodec.Read(ref reader, MqttPropertyScope.ConnAck),
        };
    }

    private static MqttReasonCode FromReturnCode(byte code) => code switch
    {
        0 => MqttReasonCode.Success,
        1 => MqttReasonCode.UnsupportedProtocolVersion,
        2 => MqttReasonCode.ClientIdentifierNotValid,
        3 => MqttReasonCode.ServerUnavailable,
        4 => MqttReasonCode.BadUserNameOrPassword,
        5 => MqttReasonCode.NotAuthorized,
        _ => throw new MqttProtocolException(MqttReasonCode.ProtocolError, $"CONNACK return code {code} is not defined in MQTT 3.1.1."),
    };

    private static byte ToReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => 0,
        MqttReasonCode.UnsupportedProtocolVersion => 1,
        MqttReasonCode.ClientIdentifierNotValid => 2,
        MqttReasonCode.ServerUnavailable => 3,
        MqttReasonCode.BadUserNameOrPassword => 4,
        MqttReasonCode.NotAuthorized => 5,
        _ => throw new ArgumentException($"Reason code {MqttReasonCodes.Describe(code)} has no MQTT 3.1.1 CONNACK return code."),
    };
}
