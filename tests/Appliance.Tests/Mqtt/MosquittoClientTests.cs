using System.Text;
using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

public sealed class MosquittoClientTests : IClassFixture<PlainBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public MosquittoClientTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Fact]
    public async Task Mqtt5_round_trip_at_qos_0_and_1_keeps_request_response_properties()
    {
        var topic = $"appliance/{Guid.NewGuid():N}/request";
        await using var subscriber = TestClients.Create(TestClients.Options(_broker.Port));
        await using var publisher = TestClients.Create(TestClients.Options(_broker.Port));
        var info = await subscriber.ConnectAsync().Within();
        await publisher.ConnectAsync().Within();
        Assert.Equal(MqttProtocolVersion.V500, info.ProtocolVersion);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, await subscriber.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce).Within());

        foreach (var qos in new[] { MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce })
        {
            var sent = new MqttMessage
            {
                Topic = topic,
                Payload = Encoding.UTF8.GetBytes($"{{\"prompt\":\"qos {(int)qos}\"}}"),
                Qos = qos,
                ResponseTopic = "client/7/responses",
                CorrelationData = new byte[] { 9, 8, 7, (byte)qos },
                ContentType = "application/json",
                PayloadFormat = MqttPayloadFormat.Utf8,
                MessageExpirySeconds = 120,
                UserProperties = [new MqttUserProperty("request-id", "r-1"), new MqttUserProperty("request-id", "r-2")],
            };
            Assert.Equal(MqttReasonCode.Success, await publisher.PublishAsync(sent).Within());

            var received = await subscriber.NextMessageAsync();
            Assert.Equal(topic, received.Topic);
            Assert.Equal(sent.Payload.ToArray(), received.Payload.ToArray());
            Assert.Equal(qos, received.Qos);
            Assert.False(received.Retain);
            Assert.Equal("client/7/responses", received.ResponseTopic);
            Assert.Equal(new byte[] { 9, 8, 7, (byte)qos }, received.CorrelationData!.Value.ToArray());
            Assert.Equal("application/json", received.ContentType);
            Assert.Equal(MqttPayloadFormat.Utf8, received.PayloadFormat);
            Assert.InRange(received.MessageExpirySeconds!.Value, 1u, 120u);
            Assert.Equal(sent.UserProperties, received.UserProperties);
        }
    }

    [Fact]
    public async Task Forced_mqtt311_round_trip_delivers_payload_without_v5_properties()
    {
        var topic = $"legacy/{Guid.NewGuid():N}";
        var options = TestClients.Options(_broker.Port);
        options.ProtocolVersion = MqttProtocolVersion.V311;
        options.AllowProtocolFallback = false;
        await using var client = TestClients.Create(options);

        var info = await client.ConnectAsync().Within();
        Assert.Equal(MqttProtocolVersion.V311, info.ProtocolVersion);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, await client.SubscribeAsync(topic).Within());

        await client.PublishAsync(new MqttMessage
        {
            Topic = topic,
            Payload = "hello 3.1.1"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
            ContentType = "text/plain",
        }).Within();

        var received = await client.NextMessageAsync();
        Assert.Equal("hello 3.1.1", Encoding.UTF8.GetString(received.Payload.Span));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, received.Qos);
        Assert.Null(received.ContentType);

        await client.UnsubscribeAsync(topic).Within();
    }

    [Fact]
    public async Task Incoming_qos2_message_from_another_publisher_arrives_with_qos_2()
    {
        var topic = $"exact/{Guid.NewGuid():N}";
        await using var client = TestClients.Create(TestClients.Options(_broker.Port));
        await client.ConnectAsync().Within();
        Assert.Equal(MqttQualityOfService.ExactlyOnce, await client.SubscribeAsync(topic, MqttQualityOfService.ExactlyOnce).Within());

        MosquittoBroker.Run(MosquittoBroker.FindTool("mosquitto_pub"), "-h", "127.0.0.1", "-p", $"{_broker.Port}", "-q", "2", "-t", topic, "-m", "exactly once");

        var received = await client.NextMessageAsync();
        Assert.Equal(MqttQualityOfService.ExactlyOnce, received.Qos);
        Assert.Equal("exactly once", Encoding.UTF8.GetString(received.Payload.Span));
    }

    [Fact]
    public async Task Unsubscribed_topics_stop_delivering()
    {
        var prefix = $"unsub/{Guid.NewGuid():N}";
        await using var client = TestClients.Create(TestClients.Options(_broker.Port));
        await client.ConnectAsync().Within();
        var codes = await client.SubscribeAsync([new MqttTopicSubscription($"{prefix}/a"), new MqttTopicSubscription($"{prefix}/b")]).Within();
        Assert.Equal([MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS1], codes);
        Assert.Equal([MqttReasonCode.Success], await client.UnsubscribeAsync([$"{prefix}/a"]).Within());

        // Published in order on one connection: if "a" were still subscribed, it would arrive first.
        await client.PublishAsync(new MqttMessage { Topic = $"{prefix}/a", Qos = MqttQualityOfService.AtLeastOnce }).Within();
        await client.PublishAsync(new MqttMessage { Topic = $"{prefix}/b", Qos = MqttQualityOfService.AtLeastOnce }).Within();

        Assert.Equal($"{prefix}/b", (await client.NextMessageAsync()).Topic);
    }

    [Fact]
    public async Task Retained_will_with_properties_is_published_when_the_connection_drops_without_disconnect()
    {
        var willTopic = $"appliance/{Guid.NewGuid():N}/status";
        using var relay = new TcpRelay(_broker.Port);
        var dyingOptions = TestClients.Options(relay.Port);
        dyingOptions.Reconnect.Enabled = false;
        dyingOptions.Will = new MqttMessage
        {
            Topic = willTopic,
            Payload = "{\"state\":\"offline\"}"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
            Retain = true,
            ContentType = "application/json",
            MessageExpirySeconds = 300,
            UserProperties = [new MqttUserProperty("reason", "lwt")],
        };
        await using var dying = TestClients.Create(dyingOptions);
        await using var watcher = TestClients.Create(TestClients.Options(_broker.Port));
        await dying.ConnectAsync().Within();
        await watcher.ConnectAsync().Within();
        await watcher.SubscribeAsync([new MqttTopicSubscription(willTopic) { RetainAsPublished = true }]).Within();
        var dyingLost = dying.NextDisconnectedAsync();

        relay.Cut();

        var will = await watcher.NextMessageAsync();
        Assert.Equal(willTopic, will.Topic);
        Assert.True(will.Retain);
        Assert.Equal("{\"state\":\"offline\"}", Encoding.UTF8.GetString(will.Payload.Span));
        Assert.Equal("application/json", will.ContentType);
        Assert.Equal([new MqttUserProperty("reason", "lwt")], will.UserProperties);
        Assert.False((await dyingLost.Within()).WillReconnect);

        // Retained: a client subscribing afterwards still gets it.
        await using var late = TestClients.Create(TestClients.Options(_broker.Port));
        await late.ConnectAsync().Within();
        await late.SubscribeAsync(willTopic).Within();
        var retained = await late.NextMessageAsync();
        Assert.True(retained.Retain);
        Assert.Equal(will.Payload.ToArray(), retained.Payload.ToArray());
    }

    [Fact]
    public async Task Publishing_before_connecting_fails_clearly()
    {
        await using var client = TestClients.Create(TestClients.Options(_broker.Port));
        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => client.PublishAsync(new MqttMessage { Topic = "t" }));
        Assert.Contains("call ConnectAsync first", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(new MqttMessage { Topic = "bad/#" }));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.PublishAsync(new MqttMessage { Topic = "t", Qos = MqttQualityOfService.ExactlyOnce }));
    }
}
