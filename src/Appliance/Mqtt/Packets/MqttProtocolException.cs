using System.Diagnostics.CodeAnalysis;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// A packet broke the MQTT rules. <see cref="ReasonCode"/> is what the receiver sends in its DISCONNECT
/// (usually <see cref="MqttReasonCode.MalformedPacket"/> or <see cref="MqttReasonCode.ProtocolError"/>).
/// </summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException(MqttReasonCode reasonCode, string message)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    public MqttReasonCode ReasonCode { get; }

    [DoesNotReturn]
    internal static void ThrowMalformed(string message) => throw new MqttProtocolException(MqttReasonCode.MalformedPacket, message);

    [DoesNotReturn]
    internal static void ThrowProtocolError(string message) => throw new MqttProtocolException(MqttReasonCode.ProtocolError, message);
}
