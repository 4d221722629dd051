namespace Appliance.Mqtt;

/// <summary>The Payload Format Indicator property: unspecified bytes, or UTF-8 text.</summary>
public enum MqttPayloadFormat : byte
{
    Bytes = 0,
    Utf8 = 1,
}
