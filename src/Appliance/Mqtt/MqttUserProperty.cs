namespace Appliance.Mqtt;

/// <summary>An MQTT 5 User Property: a name/value pair of UTF-8 strings; names may repeat.</summary>
public readonly record struct MqttUserProperty(string Name, string Value);
