namespace Appliance.Mqtt;

/// <summary>Failure or not, and readable names for messages.</summary>
public static class MqttReasonCodes
{
    public static bool IsFailure(MqttReasonCode code) => (byte)code >= 0x80;

    /// <summary>"NotAuthorized (0x87)": the name and the wire value, for error messages.</summary>
    public static string Describe(MqttReasonCode code) => $"{code} (0x{(byte)code:X2})";
}
