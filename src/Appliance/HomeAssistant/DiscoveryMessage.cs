namespace Appliance.HomeAssistant;

/// <summary>A retained discovery message: `&lt;prefix&gt;/&lt;component&gt;/&lt;object id&gt;/config` and its JSON.</summary>
public sealed record DiscoveryMessage(string Component, string ObjectId, string Topic, ReadOnlyMemory<byte> Payload);
