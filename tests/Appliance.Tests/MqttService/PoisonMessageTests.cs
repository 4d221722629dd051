using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.MqttService;
using Appliance.Tests.Mqtt;
using Appliance.Tests.Panel;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Tests.MqttService;

/// <summary>
/// Requests the service cannot use, sent through a real Mosquitto with the MQTT 5 properties broken clients send:
/// each is acknowledged and answered with an error where a reply target exists, the connection stays up, and none
/// comes back (a message that cost the connection would be redelivered after every reconnect).
/// </summary>
public sealed class PoisonMessageTests : IClassFixture<PlainBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public PoisonMessageTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Fact]
    public async Task Wildcard_and_empty_response_topics_and_invalid_utf8_are_answered_with_errors_without_losing_the_connection()
    {
        var log = new ListLogger<MqttDoorService>();
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new ScriptedEngineLoader(engine), logger: log);
        var topics = service.Topics;
        await using var ownReplies = await ReplyObserver.StartAsync(_broker.Port, topics.Response("+"));
        await using var namedReplies = await ReplyObserver.StartAsync(_broker.Port, "poison/replies");

        // The issue's reproduction, as a user would type it.
        MosquittoBroker.Run(
            MosquittoBroker.FindTool("mosquitto_pub"), "-h", "127.0.0.1", "-p", $"{_broker.Port}", "-V", "mqttv5", "-q", "1", "-t", topics.Request,
            "-D", "PUBLISH", "response-topic", "x/#", "-m", """{"id":"wild-hash","prompt":"hi","max_tokens":2}""");
        var wildHash = await ownReplies.NextAsync();
        Assert.Equal(("wild-hash", ErrorCodes.BadRequest), (wildHash.Id, wildHash.ErrorCode));

        // What mosquitto_pub cannot send (it crashes on an empty response topic), as raw packets.
        await PublishRawAsync(topics.Request, """{"id":"wild-plus","prompt":"hi"}""", ResponseTopic("a/+/b"));
        var wildPlus = await ownReplies.NextAsync();
        Assert.Equal(("wild-plus", ErrorCodes.BadRequest), (wildPlus.Id, wildPlus.ErrorCode));

        await PublishRawAsync(topics.Request, """{"id":"empty-topic","prompt":"hi"}""", ResponseTopic(""));
        var empty = await ownReplies.NextAsync();
        Assert.Equal(("empty-topic", ErrorCodes.BadRequest), (empty.Id, empty.ErrorCode));

        // Payload Format Indicator 1 (UTF-8) over bytes that are not UTF-8: the reply goes to the response topic.
        byte[] invalidUtf8 = [0xFF, 0xFE, .. "{\"id\":\"x\"}"u8];
        await PublishRawAsync(topics.Request, invalidUtf8, [0x01, 0x01, .. ResponseTopic("poison/replies")]);
        var notUtf8 = await namedReplies.NextAsync();
        Assert.Equal(ErrorCodes.BadRequest, notUtf8.ErrorCode);

        // Still connected, still answering; nothing above was generated or came back.
        await ownReplies.PublishAsync(topics.Request, """{"id":"sentinel","prompt":"hi","stream":false}""");
        var sentinel = await ownReplies.NextFinalAsync();
        Assert.Equal(("sentinel", "Hello, world!"), (sentinel.Final.Id, sentinel.Final.Text));
        Assert.Empty(sentinel.Deltas);
        Assert.Equal(1, engine.Calls);
        Assert.DoesNotContain(log.Entries, entry => entry.Message.StartsWith("lost the broker", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, entry => entry.Message.StartsWith("reconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_above_MaxPayloadBytes_get_too_large_and_those_above_the_announced_packet_size_are_dropped_by_the_broker()
    {
        const int MaxPayloadBytes = 1024;
        var announced = BrokerClientOptions.MaximumPacketSize(MaxPayloadBytes);
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits => limits.MaxPayloadBytes = MaxPayloadBytes);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Response("+"));

        // 200 times the limit: still inside the announced packet size, so the parser sees it and says why (unread,
        // its id is not known: the reply goes to the response topic of an id the service assigns).
        await client.PublishAsync(service.Topics.Request, Request("big", 200 * MaxPayloadBytes));
        var big = await client.NextAsync();
        Assert.Equal(ErrorCodes.TooLarge, big.ErrorCode);
        Assert.Contains("Requests:MaxPayloadBytes", big.ErrorMessage, StringComparison.Ordinal);

        // Above the announced size, Mosquitto drops it for the service and still acknowledges the sender with
        // success (another subscriber may have taken it): no reply comes, and the service stays connected.
        var dropped = await client.Client.PublishAsync(new MqttMessage
        {
            Topic = service.Topics.Request,
            Payload = Encoding.UTF8.GetBytes(Request("huge", announced + 1)),
            Qos = MqttQualityOfService.AtLeastOnce,
        }).Within();
        Assert.Equal(MqttReasonCode.Success, dropped);
        await client.PublishAsync(service.Topics.Request, """{"id":"after","prompt":"hi","stream":false}""");
        var after = await client.NextFinalAsync();
        Assert.Equal(("after", "Hello, world!"), (after.Final.Id, after.Final.Text));
        Assert.Equal(1, engine.Calls);
    }

    private static string Request(string id, int size)
    {
        var head = $$"""{"id":"{{id}}","prompt":" """;
        return head + new string('a', size - head.Length - 2) + "\"}";
    }

    private static byte[] ResponseTopic(string topic)
    {
        var bytes = Encoding.UTF8.GetBytes(topic);
        return [0x08, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    private Task PublishRawAsync(string topic, string payload, byte[] properties) => PublishRawAsync(topic, Encoding.UTF8.GetBytes(payload), properties);

    /// <summary>Connects with MQTT 5, publishes at QoS 1 with <paramref name="properties"/>, and waits for the broker's PUBACK.</summary>
    private async Task PublishRawAsync(string topic, byte[] payload, byte[] properties)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, _broker.Port).Within();
        var stream = socket.GetStream();
        await stream.WriteAsync(RawMqttPackets.Connect(v5: true, $"poison-{Guid.NewGuid():N}"), MqttTestTimeouts.Token());
        await ExpectPacketAsync(stream, 0x20);
        await stream.WriteAsync(RawMqttPackets.Publish(v5: true, topic, payload, packetId: 1, properties), MqttTestTimeouts.Token());
        await ExpectPacketAsync(stream, 0x40);
    }

    private static async Task ExpectPacketAsync(NetworkStream stream, byte type)
    {
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, MqttTestTimeouts.Token());
        Assert.Equal(type, (byte)(header[0] & 0xF0));
        await stream.ReadExactlyAsync(new byte[header[1]], MqttTestTimeouts.Token());
    }
}
