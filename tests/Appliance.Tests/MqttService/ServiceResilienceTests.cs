using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.State;
using Appliance.Tests.Contract;
using Appliance.Tests.Mqtt;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Tests.MqttService;

/// <summary>What the service survives: a broker restart mid-stream, malformed payloads, malformed MQTT packets.</summary>
public sealed class ServiceResilienceTests
{
    private static readonly string[] ErrorCodesOfBadInput = [ErrorCodes.BadRequest, ErrorCodes.TooLarge];

    [Fact]
    public async Task After_a_broker_restart_mid_stream_every_in_flight_request_gets_its_final_message()
    {
        using var broker = MosquittoBroker.StartPlain();

        // The service reaches the broker through a gate, so the test decides that it reconnects only after the
        // client has resubscribed (the restarted broker keeps no sessions, and a reply to nobody is lost).
        using var gate = new TcpRelay(broker.Port);
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{gate.Port}", new ScriptedEngineLoader(engine));
        var replyTopic = $"test/{Guid.NewGuid():N}/reply";
        await using var client = await ReplyObserver.StartAsync(broker.Port, replyTopic);
        await using var status = await ReplyObserver.StartAsync(broker.Port, service.Topics.Status);
        await status.NextStatusAsync("ready");
        await client.PublishAsync(service.Topics.Request, """{"id":"streaming","prompt":"a"}""", replyTopic, [9]);
        await engine.NextStartedAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"queued","prompt":"b","stream":false}""", replyTopic, [8]);
        engine.Step();
        Assert.Equal("Hello", (await client.NextAsync()).Delta);
        await service.WaitForStateAsync(ServiceState.Busy).Within();

        var clientBack = client.Client.NextConnectedAsync(e => e.IsReconnect);
        var statusBack = status.Client.NextConnectedAsync(e => e.IsReconnect);
        gate.AcceptsConnections = false;
        broker.Kill();

        // The relay does not pass a close on by itself; cutting it is what the dead broker's resets would do.
        gate.Cut();
        engine.Step(7);
        await service.WaitForStateAsync(ServiceState.Ready).Within();
        broker.Start();
        await Task.WhenAll(clientBack, statusBack).Within();
        gate.AcceptsConnections = true;

        var (streaming, lostDeltas) = await client.NextFinalAsync();
        var (queued, _) = await client.NextFinalAsync();
        Assert.Empty(lostDeltas);
        Assert.Equal(("streaming", "Hello, world!"), (streaming.Id, streaming.Text));
        Assert.Equal([9], streaming.Message.CorrelationData!.Value.ToArray());
        Assert.Equal(("queued", "Hello, world!"), (queued.Id, queued.Text));
        Assert.Equal([8], queued.Message.CorrelationData!.Value.ToArray());

        // Resubscribed and republished: the retained status is back and new requests are answered.
        Assert.Equal("ready", (await status.NextStatusAsync("ready")).Json.GetProperty("state").GetString());
        await client.PublishAsync(service.Topics.Request, """{"id":"after","prompt":"c","stream":false}""", replyTopic);
        engine.Step(4);
        Assert.Equal("after", (await client.NextFinalAsync()).Final.Id);
    }

    [Fact]
    public async Task A_thousand_malformed_payloads_each_get_an_error_and_the_service_still_answers()
    {
        using var broker = MosquittoBroker.StartPlain();
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(broker, engine, limits => limits.MaxPayloadBytes = 4096);
        await using var client = await ReplyObserver.StartAsync(broker.Port, $"{service.Topics.Base}/response/+");
        var payloads = MalformedRequests.Generate(seed: 4_242, count: 1000);

        foreach (var payload in payloads)
        {
            await client.PublishAsync(service.Topics.Request, payload);
        }

        var codes = new Dictionary<string, int>();
        var ids = new HashSet<string>();
        for (var i = 0; i < payloads.Count; i++)
        {
            var reply = await client.NextAsync();
            Assert.True(reply.IsError, $"reply {i} is not an error: {reply.Json}");
            Assert.Contains(reply.ErrorCode, ErrorCodesOfBadInput);
            Assert.False(string.IsNullOrWhiteSpace(reply.ErrorMessage));
            codes[reply.ErrorCode!] = codes.GetValueOrDefault(reply.ErrorCode!) + 1;
            ids.Add(reply.Id);
        }

        Assert.Equal(payloads.Count, ids.Count);
        Assert.True(codes.GetValueOrDefault(ErrorCodes.TooLarge) > 0 && codes[ErrorCodes.BadRequest] > 500, string.Join(", ", codes));
        Assert.Equal(0, engine.Calls);
        await client.PublishAsync(service.Topics.Request, """{"id":"fine","prompt":"still there?","stream":false}""");
        Assert.Equal("Hello, world!", (await client.NextAsync()).Text);
    }

    [Fact]
    public async Task Two_hundred_malformed_mqtt_packets_are_refused_by_the_broker_and_the_service_keeps_answering()
    {
        using var broker = MosquittoBroker.StartPlain();
        await using var service = await ServiceHarness.StartAsync(broker, new ScriptedEngine());
        var random = new Random(2_024);
        var closed = 0;
        for (var i = 0; i < 200; i++)
        {
            var v5 = i % 2 == 0;
            var publish = RawMqttPackets.Publish(v5, service.Topics.Request, Encoding.UTF8.GetBytes($$"""{"id":"raw-{{i}}","prompt":"x"}"""), (ushort)(i + 1));
            using var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, broker.Port).Within();
            var stream = socket.GetStream();
            var connect = RawMqttPackets.Connect(v5, $"raw-{i}");

            // A third of the cases break the CONNECT itself; the rest connect properly and then send a broken PUBLISH.
            var malformed = i % 3 == 0 ? RawMqttPackets.Mutate(connect, random) : [.. connect, .. RawMqttPackets.Mutate(publish, random)];
            await stream.WriteAsync(malformed, MqttTestTimeouts.Token());
            socket.Client.Shutdown(SocketShutdown.Send);
            if (await DrainUntilClosedAsync(stream))
            {
                closed++;
            }
        }

        Assert.Equal(200, closed);
        var replyTopic = $"test/{Guid.NewGuid():N}";
        await using var client = await ReplyObserver.StartAsync(broker.Port, replyTopic);
        await client.PublishAsync(service.Topics.Request, """{"id":"after-fuzz","prompt":"hi","stream":false}""", replyTopic);
        var final = (await client.NextFinalAsync()).Final;
        Assert.Equal(("after-fuzz", "Hello, world!"), (final.Id, final.Text));
        Assert.Equal(ServiceState.Ready, service.Board.Current.State);
    }

    [Fact]
    public async Task Malformed_packets_on_the_service_s_own_connection_close_it_and_the_service_reconnects_and_answers()
    {
        using var broker = MosquittoBroker.StartPlain();
        using var relay = new TcpRelay(broker.Port);
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{relay.Port}", new ScriptedEngineLoader(engine));
        await using var status = await ReplyObserver.StartAsync(broker.Port, service.Topics.Status);
        await status.NextStatusAsync("ready");
        var random = new Random(77);
        byte[][] invalidFromBroker =
        [
            [0x00, 0x00],                            // reserved packet type 0
            [0x20, 0x02, 0x00, 0x00],                // a second CONNACK
            [0x82, 0x02, 0x00, 0x01],                // SUBSCRIBE, which only clients send
            [0xC0, 0x00],                            // PINGREQ, likewise
            [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],    // a remaining length of five bytes
            [0x40, 0x01, 0x00],                      // a PUBACK too short for its packet id
        ];

        for (var i = 0; i < 12; i++)
        {
            await relay.InjectIntoClientsAsync(invalidFromBroker[random.Next(invalidFromBroker.Length)]);
            await status.NextStatusAsync("ready");
        }

        var replyTopic = $"test/{Guid.NewGuid():N}";
        await using var client = await ReplyObserver.StartAsync(broker.Port, replyTopic);
        await client.PublishAsync(service.Topics.Request, """{"id":"still-here","prompt":"hi","stream":false}""", replyTopic);
        var final = (await client.NextFinalAsync()).Final;
        Assert.Equal(("still-here", "Hello, world!"), (final.Id, final.Text));
    }

    [Fact]
    public async Task Tls_with_username_and_password_serves_requests()
    {
        using var broker = MosquittoBroker.StartTls();
        await using var service = await StartOverTlsAsync(broker, MosquittoBroker.Password, ServiceState.Ready);
        var clientOptions = TestClients.Options(broker.Port);
        clientOptions.UserName = MosquittoBroker.UserName;
        clientOptions.Password = MosquittoBroker.Password;
        clientOptions.Tls = new Appliance.Mqtt.MqttTlsOptions { CaFile = broker.CaFile, ServerName = "localhost" };
        var replyTopic = $"secure/{Guid.NewGuid():N}";
        await using var client = await ReplyObserver.StartAsync(clientOptions, replyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"tls","prompt":"hi"}""", replyTopic, [7]);
        var (final, deltas) = await client.NextFinalAsync();

        Assert.Equal("Hello, world!", string.Concat(deltas.Select(d => d.Delta)));
        Assert.Equal(("tls", "Hello, world!"), (final.Id, final.Text));
    }

    [Fact]
    public async Task A_wrong_broker_password_keeps_the_service_retrying_without_crashing()
    {
        using var broker = MosquittoBroker.StartTls();
        await using var service = await StartOverTlsAsync(broker, "wrong", ServiceState.Loading);

        Assert.False(await service.Service.PublishAsync("telemetry", "{}"u8.ToArray(), retain: false, CancellationToken.None));
        await service.StopAsync();
        Assert.Equal(ServiceState.Offline, service.Board.Current.State);
    }

    /// <summary>The service on the TLS broker with its CA file and user, logging in with <paramref name="password"/>.</summary>
    private static Task<ServiceHarness> StartOverTlsAsync(MosquittoBroker broker, string password, ServiceState waitFor) =>
        ServiceHarness.StartAsync(
            $"mqtts://localhost:{broker.Port}",
            new ScriptedEngineLoader(new ScriptedEngine()),
            broker: options =>
            {
                options.CaFile = broker.CaFile;
                options.Username = MosquittoBroker.UserName;
                options.Password = password;
            },
            waitFor: waitFor);

    /// <summary>Reads until the peer closes; false if it is still open when the bounded wait ends.</summary>
    private static async Task<bool> DrainUntilClosedAsync(NetworkStream stream)
    {
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, MqttTestTimeouts.Token()) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
