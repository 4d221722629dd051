namespace Appliance.MqttService;

/// <summary>
/// The last <see cref="Capacity"/> request keys accepted, so a QoS 1 redelivery of a request (same id, same reply
/// topic) that is queued, running or recently answered is recognised and not generated twice. Forgets the oldest
/// key first: memory stays bounded however many requests pass.
/// </summary>
public sealed class RecentRequestIds
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public RecentRequestIds(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            return _keys.Contains(key);
        }
    }

    /// <summary>Remembers <paramref name="key"/>, forgetting the oldest key beyond <see cref="Capacity"/>; false when it was already remembered.</summary>
    public bool Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_keys.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > Capacity)
            {
                _keys.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
