using System.Text;
using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

public sealed class MosquittoReconnectTests
{
    [Fact]
    public async Task After_a_broker_restart_the_client_resubscribes_and_delivers_what_was_published_while_down()
    {
        using var broker = MosquittoBroker.StartPlain();
        var topic = $"restart/{Guid.NewGuid():N}";
        await using var client = TestClients.Create(TestClients.Options(broker.Port));
        await client.ConnectAsync().Within();
        await client.SubscribeAsync(topic).Within();
        var lost = client.NextDisconnectedAsync();
        var reconnected = client.NextConnectedAsync(e => e.IsReconnect);
        var attemptFailed = new TaskCompletionSource<MqttReconnectFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ReconnectFailed += (_, e) => attemptFailed.TrySetResult(e);

        broker.Kill();
        var loss = await lost.Within();
        Assert.True(loss.WillReconnect);
        Assert.False(client.IsConnected);

        var publish = client.PublishAsync(new MqttMessage
        {
            Topic = topic,
            Payload = "sent while the broker was down"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
        });
        Assert.Equal(1, client.PendingMessageCount);
        var failure = await attemptFailed.Task.Within();
        Assert.Equal(0, failure.Attempt);
        Assert.Contains($"127.0.0.1:{broker.Port}", Assert.IsType<BrokerConnectionException>(failure.Exception).Message, StringComparison.Ordinal);
        Assert.False(publish.IsCompleted);

        broker.Start();
        var connected = await reconnected.Within();
        Assert.False(connected.Connection.SessionPresent);
        Assert.Empty(connected.RefusedSubscriptions);
        Assert.Equal(MqttReasonCode.Success, await publish.Within());
        Assert.Equal(0, client.PendingMessageCount);

        var received = await client.NextMessageAsync();
        Assert.Equal(topic, received.Topic);
        Assert.Equal("sent while the broker was down", Encoding.UTF8.GetString(received.Payload.Span));
    }

    [Fact]
    public async Task A_broker_that_spoke_5_0_is_not_downgraded_to_3_1_1_by_a_connection_closed_before_CONNACK()
    {
        using var broker = MosquittoBroker.StartPlain();
        using var relay = new TcpRelay(broker.Port);
        var options = TestClients.Options(relay.Port);
        Assert.True(options.AllowProtocolFallback);
        await using var client = TestClients.Create(options);
        Assert.Equal(MqttProtocolVersion.V500, (await client.ConnectAsync().Within()).ProtocolVersion);
        var reconnected = client.NextConnectedAsync(e => e.IsReconnect);

        // The first attempt after the loss is closed before CONNACK (a restarting broker or proxy); the next is relayed.
        // Falling back would connect the second attempt as 3.1.1.
        relay.CloseNext(1);
        relay.Cut();

        Assert.Equal(MqttProtocolVersion.V500, (await reconnected.Within()).Connection.ProtocolVersion);
    }
}
