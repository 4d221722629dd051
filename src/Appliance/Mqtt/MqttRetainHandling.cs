namespace Appliance.Mqtt;

/// <summary>Whether the broker sends retained messages when a subscription is made (5.0 subscription option).</summary>
public enum MqttRetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNew = 1,
    DoNotSend = 2,
}
