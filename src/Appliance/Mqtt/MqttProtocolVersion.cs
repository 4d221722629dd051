namespace Appliance.Mqtt;

/// <summary>The protocol level byte of CONNECT.</summary>
public enum MqttProtocolVersion : byte
{
    V311 = 4,
    V500 = 5,
}
