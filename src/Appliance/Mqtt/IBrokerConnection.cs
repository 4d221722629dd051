using System.Threading.Channels;

namespace Appliance.Mqtt;

/// <summary>
/// What the service needs from its broker connection: connect (and stay connected), publish, subscribe, and the
/// messages that arrive. <see cref="BrokerConnection"/> is the real one; tests of the MQTT contract may bring their own.
/// </summary>
public interface IBrokerConnection : IAsyncDisposable
{
    /// <summary>Connected, or connected again after a loss (<see cref="MqttConnectedEventArgs.IsReconnect"/>).</summary>
    event EventHandler<MqttConnectedEventArgs>? Connected;

    event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>A connect attempt failed; the connection tries again after <see cref="MqttReconnectFailedEventArgs.NextDelay"/>.</summary>
    event EventHandler<MqttReconnectFailedEventArgs>? ReconnectFailed;

    /// <summary>Every message the broker delivers, in arrival order, across reconnects; completed on dispose.</summary>
    ChannelReader<MqttMessage> Messages { get; }

    bool IsConnected { get; }

    /// <summary>Connects, retrying with backoff until the broker accepts (each failure raises <see cref="ReconnectFailed"/>), then stays connected.</summary>
    Task<MqttConnectionInfo> ConnectWithRetryAsync(CancellationToken cancellationToken);

    /// <summary>QoS 0 is sent now or fails; QoS 1 completes when the broker acknowledges it, waiting across reconnects.</summary>
    Task<MqttReasonCode> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default);

    /// <summary>One reason code per subscription (granted QoS or failure); granted ones are restored after reconnects.</summary>
    Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MqttReasonCode>> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default);
}
