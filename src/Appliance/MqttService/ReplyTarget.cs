namespace Appliance.MqttService;

/// <summary>Where a request's replies go: a topic, the MQTT 5 correlation data to echo, and whether to retain them.</summary>
internal sealed record ReplyTarget(string Topic, ReadOnlyMemory<byte>? CorrelationData = null, bool Retain = false);
