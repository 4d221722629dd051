using Appliance.Mqtt;
using System.Threading.Channels;

namespace Appliance.Tests.MqttService;

/// <summary>
/// The service's side of a broker without one: the test hands it messages (with flags a real broker sets only on its
/// own cue, such as DUP) and reads what it publishes. Grants every subscription.
/// </summary>
internal sealed class FakeBrokerConnection : IBrokerConnection
{
    private readonly Channel<MqttMessage> _incoming = Channel.CreateUnbounded<MqttMessage>();
    private readonly Channel<MqttMessage> _published = Channel.CreateUnbounded<MqttMessage>();
    private readonly Channel<string> _subscriptionChanges = Channel.CreateUnbounded<string>();

    public event EventHandler<MqttConnectedEventArgs>? Connected;

    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>Never raised: connecting always succeeds.</summary>
    public event EventHandler<MqttReconnectFailedEventArgs>? ReconnectFailed
    {
        add { }
        remove { }
    }

    public ChannelReader<MqttMessage> Messages => _incoming.Reader;

    /// <summary>Everything the service published, in order.</summary>
    public ChannelReader<MqttMessage> Published => _published.Reader;

    /// <summary>"+filter" per subscription and "-filter" per unsubscription, in order.</summary>
    public ChannelReader<string> SubscriptionChanges => _subscriptionChanges.Reader;

    public bool IsConnected { get; private set; }

    public BrokerConnectionOptions? Options { get; init; }

    /// <summary>Delivers <paramref name="message"/> to the service as the broker would.</summary>
    public void Deliver(MqttMessage message) => _incoming.Writer.TryWrite(message);

    public Task<MqttConnectionInfo> ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        IsConnected = true;
        var info = new MqttConnectionInfo { ProtocolVersion = MqttProtocolVersion.V500, ClientId = Options?.ClientId ?? "fake" };
        Connected?.Invoke(this, new MqttConnectedEventArgs(info, isReconnect: false, []));
        return Task.FromResult(info);
    }

    public Task<MqttReasonCode> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        _published.Writer.TryWrite(message);
        return Task.FromResult(MqttReasonCode.Success);
    }

    public Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        foreach (var subscription in subscriptions)
        {
            _subscriptionChanges.Writer.TryWrite($"+{subscription.TopicFilter}");
        }

        return Task.FromResult<IReadOnlyList<MqttReasonCode>>([.. subscriptions.Select(s => (MqttReasonCode)s.MaximumQos)]);
    }

    public Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        foreach (var filter in topicFilters)
        {
            _subscriptionChanges.Writer.TryWrite($"-{filter}");
        }

        return Task.FromResult<IReadOnlyList<MqttReasonCode>>([.. topicFilters.Select(_ => MqttReasonCode.Success)]);
    }

    public ValueTask DisposeAsync()
    {
        if (IsConnected)
        {
            IsConnected = false;
            Disconnected?.Invoke(this, new MqttDisconnectedEventArgs(new MqttConnectionLoss("The client disconnected."), willReconnect: false));
        }

        _incoming.Writer.TryComplete();
        _published.Writer.TryComplete();
        _subscriptionChanges.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
