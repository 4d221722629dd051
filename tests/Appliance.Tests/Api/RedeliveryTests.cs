using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Appliance.Mqtt.Packets;
using Appliance.Requests;
using Appliance.Service;
using Appliance.Tests.Mqtt;

namespace Appliance.Tests.Api;

/// <summary>
/// True redeliveries (the broker sends a request again with DUP set) are dropped silently; only a scripted broker can
/// send them on cue. A new message reusing the id is answered duplicate_id.
/// </summary>
public sealed class RedeliveryTests
{
    private const string Replies = "client/replies";

    [Fact]
    public async Task A_broker_redelivery_of_a_taken_request_is_dropped_and_a_new_message_reusing_its_id_gets_duplicate_id()
    {
        using var server = new FakeMqttServer();
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{server.Port}", new ScriptedEngineLoader(engine), waitFor: null);
        var ready = service.WaitForStateAsync(ServiceState.Ready);
        var (peer, _) = await server.AcceptSessionAsync();
        using (peer)
        {
            var replies = Channel.CreateUnbounded<JsonElement>();
            var pump = PumpAsync(peer, replies.Writer);
            await ready.Within();

            await peer.SendAsync(Request(service.Topics.Request, "r1", packetId: 1, dup: false));
            var answer = await replies.Reader.ReadAsync(MqttTestTimeouts.Token());
            await peer.SendAsync(Request(service.Topics.Request, "r1", packetId: 1, dup: true));
            await peer.SendAsync(Request(service.Topics.Request, "sentinel", packetId: 2, dup: false));
            var afterRedelivery = await replies.Reader.ReadAsync(MqttTestTimeouts.Token());
            await peer.SendAsync(Request(service.Topics.Request, "r1", packetId: 3, dup: false));
            var reused = await replies.Reader.ReadAsync(MqttTestTimeouts.Token());

            Assert.Equal(("r1", "Hello, world!"), (answer.GetProperty("id").GetString(), answer.GetProperty("text").GetString()));
            Assert.Equal("sentinel", afterRedelivery.GetProperty("id").GetString());
            Assert.Equal(("r1", ErrorCodes.DuplicateId), (reused.GetProperty("id").GetString(), reused.GetProperty("error").GetProperty("code").GetString()));
            Assert.Equal(2, engine.Calls);
            await service.StopAsync();
            await pump.Within();
        }
    }

    private static PublishPacket Request(string topic, string id, ushort packetId, bool dup) => new()
    {
        Topic = topic,
        Qos = MqttQualityOfService.AtLeastOnce,
        PacketId = packetId,
        Dup = dup,
        Payload = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"a","stream":false,"reply_to":"{{Replies}}"}"""),
    };

    /// <summary>Plays the broker's side until the service disconnects: grants subscriptions, acknowledges publishes, hands on the replies.</summary>
    private static async Task PumpAsync(FakeMqttPeer peer, ChannelWriter<JsonElement> replies)
    {
        try
        {
            while (await peer.ReceiveAsync() is { } packet)
            {
                switch (packet)
                {
                    case SubscribePacket subscribe:
                        await peer.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [.. subscribe.Subscriptions.Select(_ => MqttReasonCode.GrantedQoS1)] });
                        break;
                    case PublishPacket publish:
                        if (publish.Qos != MqttQualityOfService.AtMostOnce)
                        {
                            await peer.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
                        }

                        if (publish.Topic == Replies)
                        {
                            replies.TryWrite(JsonDocument.Parse(publish.Payload).RootElement.Clone());
                        }

                        break;
                    case DisconnectPacket:
                        return;
                }
            }
        }
        catch (IOException)
        {
            // The service closed the connection.
        }
    }
}
