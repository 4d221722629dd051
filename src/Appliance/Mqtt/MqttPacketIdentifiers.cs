namespace Appliance.Mqtt;

/// <summary>Hands out packet identifiers 1..65535 not in use by any unacknowledged exchange of this session.</summary>
internal sealed class MqttPacketIdentifiers
{
    private readonly HashSet<ushort> _inUse = [];
    private readonly Lock _lock = new();
    private ushort _last;

    public ushort Rent()
    {
        lock (_lock)
        {
            for (var tries = 0; tries < ushort.MaxValue; tries++)
            {
                _last = _last == ushort.MaxValue ? (ushort)1 : (ushort)(_last + 1);
                if (_inUse.Add(_last))
                {
                    return _last;
                }
            }
        }

        throw new MqttClientException($"All {ushort.MaxValue} packet identifiers are in use by unacknowledged messages.");
    }

    public void Return(ushort id)
    {
        lock (_lock)
        {
            _inUse.Remove(id);
        }
    }
}
