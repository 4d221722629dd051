namespace Appliance.Contract;

/// <summary>The topics of a pool of boxes: `appliance/pool/&lt;pool&gt;/…`.</summary>
internal sealed class PoolTopics
{
    public PoolTopics(string pool, string deviceId)
    {
        Name = pool;
        Request = $"{ApplianceTopics.Root}/pool/{pool}/request";
        SharedRequest = $"$share/{pool}/{Request}";
        DeviceId = deviceId;
        LoadPrefix = $"{ApplianceTopics.Root}/pool/{pool}/load/";
        Load = LoadPrefix + deviceId;
        AllLoads = LoadPrefix + "+";
    }

    public string Name { get; }

    public string DeviceId { get; }

    /// <summary>Where clients send pool requests; the broker hands each to one box of the pool.</summary>
    public string Request { get; }

    /// <summary>The MQTT 5 shared subscription every box of the pool holds while it has room in its queue.</summary>
    public string SharedRequest { get; }

    /// <summary>This box's retained queue length: {"queued","capacity","taking"}.</summary>
    public string Load { get; }

    public string LoadPrefix { get; }

    /// <summary>Every box's load: how a box knows whether another one takes requests.</summary>
    public string AllLoads { get; }
}
