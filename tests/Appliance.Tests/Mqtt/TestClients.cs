using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

internal static class TestClients
{
    public static BrokerConnectionOptions Options(int port, string? clientId = null) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = clientId ?? $"test-{Guid.NewGuid():N}",
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Reconnect = new MqttReconnectOptions
        {
            InitialDelay = TimeSpan.FromMilliseconds(20),
            MaximumDelay = TimeSpan.FromMilliseconds(250),
        },
    };

    public static BrokerConnection Create(BrokerConnectionOptions options) => new(options, TimeProvider.System, new Random(1234));

    public static async Task<MqttMessage> NextMessageAsync(this BrokerConnection client) =>
        await client.Messages.ReadAsync(MqttTestTimeouts.Token()).ConfigureAwait(false);

    /// <summary>A task that completes with the first event args matching <paramref name="predicate"/>.</summary>
    public static Task<MqttConnectedEventArgs> NextConnectedAsync(this BrokerConnection client, Func<MqttConnectedEventArgs, bool>? predicate = null)
    {
        var source = new TaskCompletionSource<MqttConnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) =>
        {
            if (predicate?.Invoke(e) ?? true)
            {
                source.TrySetResult(e);
            }
        };
        return source.Task;
    }

    public static Task<MqttDisconnectedEventArgs> NextDisconnectedAsync(this BrokerConnection client)
    {
        var source = new TaskCompletionSource<MqttDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, e) => source.TrySetResult(e);
        return source.Task;
    }
}
