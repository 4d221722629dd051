using Appliance.Contract;
using Appliance.Mqtt;
using Microsoft.Extensions.Logging;
using System.Text;
using System.Threading.Channels;

namespace Appliance.MqttService;

/// <summary>
/// This box's place in a pool: holds the shared subscription to the pool's requests while the queue has room; while
/// it is full and another box of the pool takes requests, drops it (the broker then hands pool requests to the others
/// instead of this box answering `busy`). When no other box takes any, it stays and answers `busy`: a pool without
/// subscribers would lose requests silently. Publishes its queue length, retained, on
/// `appliance/pool/&lt;pool&gt;/load/&lt;device-id&gt;`, and reads the other boxes' from there.
/// </summary>
internal sealed partial class PoolMembership : IDisposable
{
    private readonly IBrokerConnection _client;
    private readonly PoolTopics _topics;
    private readonly Func<int> _queued;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, bool> _othersTaking = new(StringComparer.Ordinal);
    private bool _taking;
    private volatile bool _leaving;
    private string? _published;

    public PoolMembership(IBrokerConnection client, PoolTopics topics, Func<int> queued, int capacity, ILogger logger)
    {
        _client = client;
        _topics = topics;
        _queued = queued;
        _capacity = capacity;
        _logger = logger;
    }

    public IReadOnlyList<MqttTopicSubscription> Subscriptions =>
    [
        new(_topics.SharedRequest, MqttQualityOfService.AtLeastOnce),
        new(_topics.AllLoads, MqttQualityOfService.AtMostOnce) { NoLocal = true },
    ];

    /// <summary>Takes another box's load message (true), or leaves the message to the request intake (false).</summary>
    public bool Observe(MqttMessage message)
    {
        if (!message.Topic.StartsWith(_topics.LoadPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var device = message.Topic[_topics.LoadPrefix.Length..];
        var taking = message.Payload.Length > 0 && message.Payload.Span.IndexOf("\"taking\":true"u8) >= 0;
        lock (_othersTaking)
        {
            if (device == _topics.DeviceId || (_othersTaking.TryGetValue(device, out var known) && known == taking))
            {
                return true;
            }

            _othersTaking[device] = taking;
        }

        Wake();
        return true;
    }

    /// <summary>Subscribed with the service's own topics; from now on it follows the queue.</summary>
    public void Joined()
    {
        _taking = true;
        Wake();
    }

    /// <summary>The queue length changed, or the broker connection came back (republish the retained load).</summary>
    public void Wake(bool republish = false)
    {
        if (republish)
        {
            _published = null;
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Stopping: drops the shared subscription for good. The session outlives the connection (Clean Start 0), and the
    /// broker would keep handing pool requests to it while no one reads them.
    /// </summary>
    public async Task LeaveAsync(CancellationToken stop)
    {
        _leaving = true;
        await ReconcileAsync(stop).ConfigureAwait(false);
    }

    public void Dispose() => _gate.Dispose();

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                await ReconcileAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ReconcileAsync(CancellationToken stop)
    {
        await _gate.WaitAsync(stop).ConfigureAwait(false);
        var queued = _queued();
        bool othersTaking;
        lock (_othersTaking)
        {
            othersTaking = _othersTaking.ContainsValue(true);
        }

        var room = !_leaving && (queued < _capacity || !othersTaking);
        try
        {
            if (room != _taking)
            {
                if (room)
                {
                    await _client.SubscribeAsync([Subscriptions[0]], stop).ConfigureAwait(false);
                }
                else
                {
                    await _client.UnsubscribeAsync([_topics.SharedRequest], stop).ConfigureAwait(false);
                }

                _taking = room;
                LogTaking(_logger, _topics.Name, room ? "taking pool requests again" : _leaving ? "left the pool" : "full: the other boxes take pool requests", queued, _capacity);
            }

            var load = $$"""{"queued":{{queued}},"capacity":{{_capacity}},"taking":{{(_taking ? "true" : "false")}}}""";
            if (load != _published)
            {
                await _client.PublishAsync(
                    new MqttMessage { Topic = _topics.Load, Payload = Encoding.UTF8.GetBytes(load), Retain = true, ContentType = "application/json", PayloadFormat = MqttPayloadFormat.Utf8 },
                    stop).ConfigureAwait(false);
                _published = load;
            }
        }
        catch (BrokerConnectionException error)
        {
            // Disconnected: the reconnect wakes this again, and the broker restores what was subscribed.
            LogPoolNotUpdated(_logger, _topics.Name, error.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pool {Pool}: {What} ({Queued} of {Capacity} queued)")]
    private static partial void LogTaking(ILogger logger, string pool, string what, int queued, int capacity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "pool {Pool}: subscription or load not updated: {Reason}")]
    private static partial void LogPoolNotUpdated(ILogger logger, string pool, string reason);
}
