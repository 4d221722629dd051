namespace Appliance.Mqtt;

/// <summary>Why a network connection ended: a sentence, the reason code if one was exchanged, the exception if one was thrown.</summary>
public sealed record MqttConnectionLoss(string Reason, MqttReasonCode? ReasonCode = null, Exception? Exception = null);
