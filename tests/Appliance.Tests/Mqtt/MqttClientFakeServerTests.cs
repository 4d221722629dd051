using Appliance.Mqtt;
using Appliance.Mqtt.Packets;

namespace Appliance.Tests.Mqtt;

/// <summary>Client behaviour a real broker will not show on demand: refusals, misbehaviour, withheld acknowledgements.</summary>
public sealed class MqttClientFakeServerTests
{
    public enum V5Refusal
    {
        ConnAckUnsupportedVersion,
        Mqtt311ReturnCode,
        ConnectionClosed,
    }

    [Theory]
    [InlineData(V5Refusal.ConnAckUnsupportedVersion)]
    [InlineData(V5Refusal.Mqtt311ReturnCode)]
    [InlineData(V5Refusal.ConnectionClosed)]
    public async Task A_broker_refusing_mqtt5_gets_a_311_connection(V5Refusal refusal)
    {
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port, "fallback-client"));
        var connecting = client.ConnectAsync();

        using (var first = await server.AcceptAsync())
        {
            Assert.Equal(MqttProtocolVersion.V500, (await first.ExpectAsync<ConnectPacket>()).ProtocolVersion);
            switch (refusal)
            {
                case V5Refusal.ConnAckUnsupportedVersion:
                    await first.SendAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.UnsupportedProtocolVersion });
                    break;
                case V5Refusal.Mqtt311ReturnCode:
                    await first.SendRawAsync([0x20, 0x02, 0x00, 0x01]);
                    break;
            }
        }

        var (second, connect) = await server.AcceptSessionAsync();
        using (second)
        {
            Assert.Equal((MqttProtocolVersion.V311, "fallback-client"), (connect.ProtocolVersion, connect.ClientId));
            Assert.Equal(MqttProtocolVersion.V311, (await connecting.Within()).ProtocolVersion);

            await client.PublishAsync(new MqttApplicationMessage { Topic = "after/fallback", ContentType = "dropped on 3.1.1" }).Within();
            var publish = await second.ExpectAsync<PublishPacket>();
            Assert.Equal("after/fallback", publish.Topic);
        }
    }

    [Fact]
    public async Task Without_fallback_a_refused_version_is_a_clear_error()
    {
        using var server = new FakeMqttServer();
        var options = TestClients.Options(server.Port);
        options.AllowProtocolFallback = false;
        await using var client = TestClients.Create(options);
        var connecting = client.ConnectAsync();
        using var peer = await server.AcceptAsync();
        await peer.ExpectAsync<ConnectPacket>();
        await peer.SendAsync(new ConnAckPacket { ReasonCode = MqttReasonCode.UnsupportedProtocolVersion, Properties = new MqttProperties { ReasonString = "v5 disabled" } });

        var error = await Assert.ThrowsAsync<MqttClientException>(() => connecting.Within());
        Assert.Equal(MqttReasonCode.UnsupportedProtocolVersion, error.ReasonCode);
        Assert.Contains("UnsupportedProtocolVersion (0x84): v5 disabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_packets_from_the_network_get_a_disconnect_with_the_reason_and_the_client_reconnects()
    {
        var badPackets = new[]
        {
            "36 04 00 01 74 00", "30 05 00 02 C3 28 00", "30 0C 00 01 74 08 03 00 01 61 03 00 01 61", "C0 80 00", "00 00",
            "F0 00", "90 04 00 01 00 03", "30 07 00 01 74 03 23 00 00", "30 04 00 01 23 00", "82 07 00 01 00 00 01 74 00",
            "30 08 00 01 74 03 23 00 05 21", "20 03 00 00 00",
        }.Select(MqttPacketDecoderRuleTests.Hex).Concat(SeededRejectedFrames(count: 8)).ToArray();
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port));
        var losses = new List<MqttConnectionLoss>();
        client.Disconnected += (_, e) =>
        {
            lock (losses)
            {
                losses.Add(e.Loss);
            }
        };
        var connecting = client.ConnectAsync();

        foreach (var bad in badPackets)
        {
            var (peer, _) = await server.AcceptSessionAsync();
            using (peer)
            {
                await peer.SendRawAsync(bad);
                var disconnect = await peer.ExpectAsync<DisconnectPacket>();
                Assert.True(MqttReasonCodes.IsFailure(disconnect.ReasonCode), $"{Convert.ToHexString(bad)} drew {disconnect.ReasonCode}");
                Assert.False(string.IsNullOrEmpty(disconnect.Properties.ReasonString));
                await peer.ExpectClosedAsync();
            }
        }

        await connecting.Within();
        var (last, _) = await server.AcceptSessionAsync();
        using (last)
        {
            var publish = client.PublishAsync(new MqttApplicationMessage { Topic = "still/usable", Qos = MqttQualityOfService.AtLeastOnce });
            var packet = await last.ExpectAsync<PublishPacket>();
            await last.SendAsync(new PubAckPacket { PacketId = packet.PacketId });
            Assert.Equal(MqttReasonCode.Success, await publish.Within());

            // Counted while the last connection is still up: one loss per malformed packet.
            lock (losses)
            {
                Assert.Equal(badPackets.Length, losses.Count);
                Assert.All(losses, loss => Assert.Contains("invalid packet", loss.Reason, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task The_broker_keep_alive_drives_pings_and_a_missing_pingresp_drops_the_connection()
    {
        using var server = new FakeMqttServer();
        var options = TestClients.Options(server.Port);
        options.KeepAliveSeconds = 60;
        options.Reconnect.Enabled = false;
        await using var client = TestClients.Create(options);
        var lost = client.NextDisconnectedAsync();
        var connecting = client.ConnectAsync();
        var (peer, connect) = await server.AcceptSessionAsync(new ConnAckPacket { Properties = new MqttProperties { ServerKeepAlive = 1 } });
        using (peer)
        {
            Assert.Equal(60, connect.KeepAliveSeconds);
            Assert.Equal(1, (await connecting.Within()).KeepAliveSeconds);

            await peer.ExpectAsync<PingReqPacket>();
            await peer.SendAsync(PingRespPacket.Instance);
            await peer.ExpectAsync<PingReqPacket>();

            // No PINGRESP this time: within another interval the client gives up on the connection.
            await peer.ExpectClosedAsync();
            var loss = await lost.Within();
            Assert.Equal(MqttReasonCode.KeepAliveTimeout, loss.Loss.ReasonCode);
            Assert.Contains("No PINGRESP", loss.Loss.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Qos1_publishing_stays_within_the_brokers_receive_maximum()
    {
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port));
        var connecting = client.ConnectAsync();
        var (peer, _) = await server.AcceptSessionAsync(new ConnAckPacket { Properties = new MqttProperties { ReceiveMaximum = 2 } });
        using (peer)
        {
            await connecting.Within();
            var publishes = Enumerable.Range(0, 4)
                .Select(i => client.PublishAsync(new MqttApplicationMessage { Topic = $"quota/{i}", Qos = MqttQualityOfService.AtLeastOnce }))
                .ToArray();
            var first = await peer.ExpectAsync<PublishPacket>();
            var second = await peer.ExpectAsync<PublishPacket>();
            Assert.Equal(("quota/0", "quota/1"), (first.Topic, second.Topic));

            // A round trip through the client: if it had sent a third PUBLISH it would arrive before this PUBACK.
            await peer.SendAsync(new PublishPacket { Topic = "probe", Qos = MqttQualityOfService.AtLeastOnce, PacketId = 77, Dup = true });
            Assert.Equal(77, (await peer.ExpectAsync<PubAckPacket>()).PacketId);

            await peer.SendAsync(new PubAckPacket { PacketId = first.PacketId });
            var third = await peer.ExpectAsync<PublishPacket>();
            Assert.Equal("quota/2", third.Topic);
            await peer.SendAsync(new PubAckPacket { PacketId = second.PacketId, ReasonCode = MqttReasonCode.NoMatchingSubscribers });
            var fourth = await peer.ExpectAsync<PublishPacket>();
            await peer.SendAsync(new PubAckPacket { PacketId = third.PacketId });
            await peer.SendAsync(new PubAckPacket { PacketId = fourth.PacketId, ReasonCode = MqttReasonCode.QuotaExceeded, Properties = new MqttProperties { ReasonString = "full" } });

            Assert.Equal(MqttReasonCode.Success, await publishes[0].Within());
            Assert.Equal(MqttReasonCode.NoMatchingSubscribers, await publishes[1].Within());
            Assert.Equal(MqttReasonCode.Success, await publishes[2].Within());
            var refused = await Assert.ThrowsAsync<MqttClientException>(() => publishes[3].Within());
            Assert.Equal(MqttReasonCode.QuotaExceeded, refused.ReasonCode);
            Assert.Contains("QuotaExceeded (0x97): full", refused.Message, StringComparison.Ordinal);
            var probe = await client.NextMessageAsync();
            Assert.Equal(("probe", true), (probe.Topic, probe.Dup));
        }
    }

    [Fact]
    public async Task Incoming_qos2_runs_the_full_handshake_and_delivers_a_redelivery_once()
    {
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port));
        var connecting = client.ConnectAsync();
        var (peer, _) = await server.AcceptSessionAsync();
        using (peer)
        {
            await connecting.Within();
            var message = new PublishPacket { Topic = "exact", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 5, Payload = "once"u8.ToArray() };
            await peer.SendAsync(message);
            Assert.Equal(5, (await peer.ExpectAsync<PubRecPacket>()).PacketId);
            await peer.SendAsync(new PublishPacket { Topic = "exact", Qos = MqttQualityOfService.ExactlyOnce, PacketId = 5, Dup = true, Payload = "once"u8.ToArray() });
            Assert.Equal(5, (await peer.ExpectAsync<PubRecPacket>()).PacketId);
            await peer.SendAsync(new PubRelPacket { PacketId = 5 });
            var complete = await peer.ExpectAsync<PubCompPacket>();
            Assert.Equal((5, MqttReasonCode.Success), (complete.PacketId, complete.ReasonCode));
            await peer.SendAsync(new PubRelPacket { PacketId = 6 });
            Assert.Equal(MqttReasonCode.PacketIdentifierNotFound, (await peer.ExpectAsync<PubCompPacket>()).ReasonCode);
            await peer.SendAsync(new PublishPacket { Topic = "marker" });

            var delivered = await client.NextMessageAsync();
            Assert.Equal((MqttQualityOfService.ExactlyOnce, "exact"), (delivered.Qos, delivered.Topic));
            Assert.Equal("marker", (await client.NextMessageAsync()).Topic);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Unacknowledged_qos1_messages_are_resent_after_reconnect_with_dup_only_in_a_kept_session(bool sessionPresent)
    {
        using var server = new FakeMqttServer();
        var options = TestClients.Options(server.Port, "resend-client");
        options.SessionExpirySeconds = 300;
        await using var client = TestClients.Create(options);
        var connecting = client.ConnectAsync();
        Task<MqttReasonCode> publish;
        ushort firstId;
        var (first, firstConnect) = await server.AcceptSessionAsync();
        using (first)
        {
            Assert.True(firstConnect.CleanStart);
            Assert.Equal(300u, firstConnect.Properties.SessionExpiryInterval);
            await connecting.Within();
            publish = client.PublishAsync(new MqttApplicationMessage { Topic = "resend/me", Payload = "m"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce });
            var original = await first.ExpectAsync<PublishPacket>();
            Assert.False(original.Dup);
            firstId = original.PacketId;
        }

        var (second, secondConnect) = await server.AcceptSessionAsync(new ConnAckPacket { SessionPresent = sessionPresent });
        using (second)
        {
            Assert.False(secondConnect.CleanStart);
            Assert.Equal("resend-client", secondConnect.ClientId);
            var resent = await second.ExpectAsync<PublishPacket>();
            Assert.Equal(("resend/me", firstId, sessionPresent), (resent.Topic, resent.PacketId, resent.Dup));
            await second.SendAsync(new PubAckPacket { PacketId = resent.PacketId });
            Assert.Equal(MqttReasonCode.Success, await publish.Within());
        }
    }

    [Fact]
    public async Task Subscriptions_are_restored_in_a_new_session_and_refusals_are_reported()
    {
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port));
        var connecting = client.ConnectAsync();
        var reconnected = client.NextConnectedAsync(e => e.IsReconnect);
        var (first, _) = await server.AcceptSessionAsync();
        using (first)
        {
            await connecting.Within();
            var subscribing = client.SubscribeAsync([new MqttTopicSubscription("keep/+"), new MqttTopicSubscription("lose/#", MqttQualityOfService.AtMostOnce)]);
            var subscribe = await first.ExpectAsync<SubscribePacket>();
            await first.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.Success] });
            await subscribing.Within();

            var refusing = client.SubscribeAsync("secret/#");
            subscribe = await first.ExpectAsync<SubscribePacket>();
            await first.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [MqttReasonCode.NotAuthorized] });
            var refused = await Assert.ThrowsAsync<MqttClientException>(() => refusing.Within());
            Assert.Equal(MqttReasonCode.NotAuthorized, refused.ReasonCode);
        }

        var (second, _) = await server.AcceptSessionAsync();
        using (second)
        {
            var restore = await second.ExpectAsync<SubscribePacket>();
            Assert.Equal(["keep/+", "lose/#"], restore.Subscriptions.Select(s => s.TopicFilter));
            await second.SendAsync(new SubAckPacket { PacketId = restore.PacketId, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.NotAuthorized] });
            Assert.Equal(["lose/#"], (await reconnected.Within()).RefusedSubscriptions);
        }

        var (third, _) = await server.AcceptSessionAsync();
        using (third)
        {
            var restore = await third.ExpectAsync<SubscribePacket>();
            Assert.Equal(["keep/+"], restore.Subscriptions.Select(s => s.TopicFilter));
        }
    }

    [Fact]
    public async Task Broker_limits_from_connack_are_enforced_and_an_assigned_client_id_is_reused()
    {
        using var server = new FakeMqttServer();
        var options = TestClients.Options(server.Port, clientId: "");
        options.ReceiveMaximum = 10;
        options.WillDelaySeconds = 5;
        options.Will = new MqttApplicationMessage { Topic = "gone", Payload = "bye"u8.ToArray(), Retain = true, Qos = MqttQualityOfService.AtLeastOnce };
        await using var client = TestClients.Create(options);
        var connecting = client.ConnectAsync();
        var limits = new MqttProperties
        {
            AssignedClientIdentifier = "auto-7",
            MaximumQos = MqttQualityOfService.AtMostOnce,
            RetainAvailable = false,
            MaximumPacketSize = 200,
            ReceiveMaximum = 5,
        };
        var (first, connect) = await server.AcceptSessionAsync(new ConnAckPacket { Properties = limits });
        using (first)
        {
            Assert.Equal("", connect.ClientId);
            Assert.Equal(((ushort?)10, 1024u * 1024), (connect.Properties.ReceiveMaximum, connect.Properties.MaximumPacketSize!.Value));
            Assert.Equal(("gone", true, MqttQualityOfService.AtLeastOnce, 5u), (connect.Will!.Topic, connect.Will.Retain, connect.Will.Qos, connect.Will.Properties.WillDelayInterval!.Value));
            var info = await connecting.Within();
            Assert.Same(info, client.ConnectionInfo);
            Assert.Equal(("auto-7", MqttQualityOfService.AtMostOnce, false, 200u, (ushort)5), (info.ClientId, info.MaximumQos, info.RetainAvailable, info.MaximumPacketSize!.Value, info.ReceiveMaximum));

            var qos = await Assert.ThrowsAsync<MqttClientException>(() => client.PublishAsync(new MqttApplicationMessage { Topic = "t", Qos = MqttQualityOfService.AtLeastOnce }));
            Assert.Equal(MqttReasonCode.QoSNotSupported, qos.ReasonCode);
            var retain = await Assert.ThrowsAsync<MqttClientException>(() => client.PublishAsync(new MqttApplicationMessage { Topic = "t", Retain = true }));
            Assert.Equal(MqttReasonCode.RetainNotSupported, retain.ReasonCode);
            var large = await Assert.ThrowsAsync<MqttClientException>(() => client.PublishAsync(new MqttApplicationMessage { Topic = "t", Payload = new byte[500] }));
            Assert.Equal(MqttReasonCode.PacketTooLarge, large.ReasonCode);
            Assert.Contains("up to 200", large.Message, StringComparison.Ordinal);
        }

        var (second, reconnect) = await server.AcceptSessionAsync();
        using (second)
        {
            Assert.Equal("auto-7", reconnect.ClientId);
        }
    }

    [Fact]
    public async Task A_server_disconnect_is_reported_with_its_reason_before_reconnecting()
    {
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port));
        var lost = client.NextDisconnectedAsync();
        var connecting = client.ConnectAsync();
        var (first, _) = await server.AcceptSessionAsync();
        using (first)
        {
            await connecting.Within();
            await first.SendAsync(new DisconnectPacket { ReasonCode = MqttReasonCode.ServerShuttingDown, Properties = new MqttProperties { ReasonString = "maintenance" } });
            var loss = await lost.Within();
            Assert.True(loss.WillReconnect);
            Assert.Equal(MqttReasonCode.ServerShuttingDown, loss.Loss.ReasonCode);
            Assert.Contains("maintenance", loss.Loss.Reason, StringComparison.Ordinal);
        }

        var (second, reconnect) = await server.AcceptSessionAsync();
        using (second)
        {
            Assert.False(reconnect.CleanStart);
        }
    }

    [Fact]
    public async Task Disconnecting_sends_the_reason_and_fails_unacknowledged_messages()
    {
        using var server = new FakeMqttServer();
        await using var client = TestClients.Create(TestClients.Options(server.Port));
        var connecting = client.ConnectAsync();
        var (peer, _) = await server.AcceptSessionAsync();
        using (peer)
        {
            await connecting.Within();
            var publish = client.PublishAsync(new MqttApplicationMessage { Topic = "never/acked", Qos = MqttQualityOfService.AtLeastOnce });
            await peer.ExpectAsync<PublishPacket>();

            await client.DisconnectAsync(MqttReasonCode.DisconnectWithWillMessage).Within();

            Assert.Equal(MqttReasonCode.DisconnectWithWillMessage, (await peer.ExpectAsync<DisconnectPacket>()).ReasonCode);
            await peer.ExpectClosedAsync();
            var error = await Assert.ThrowsAsync<MqttClientException>(() => publish.Within());
            Assert.Contains("not acknowledged", error.Message, StringComparison.Ordinal);
            Assert.False(client.IsConnected);
            await Assert.ThrowsAsync<MqttClientException>(() => client.PublishAsync(new MqttApplicationMessage { Topic = "t" }));
        }
    }

    [Fact]
    public async Task Disconnecting_while_reconnecting_stops_the_attempts_and_dispose_completes_the_message_channel()
    {
        var server = new FakeMqttServer();
        var client = TestClients.Create(TestClients.Options(server.Port));
        var attemptFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ReconnectFailed += (_, _) => attemptFailed.TrySetResult();
        var connecting = client.ConnectAsync();
        var (peer, _) = await server.AcceptSessionAsync();
        await connecting.Within();

        server.Dispose();
        peer.Dispose();
        await attemptFailed.Task.Within();
        var pending = client.PublishAsync(new MqttApplicationMessage { Topic = "queued", Qos = MqttQualityOfService.AtLeastOnce });

        await client.DisconnectAsync().Within();
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<MqttClientException>(() => pending.Within());
        await Assert.ThrowsAsync<MqttClientException>(() => client.SubscribeAsync("t"));

        await client.DisposeAsync();
        await client.Messages.Completion.Within();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ConnectAsync());
    }

    /// <summary>Seeded fuzz frames the decoder rejects whose length field matches their size, so the client reads each one whole.</summary>
    private static IEnumerable<byte[]> SeededRejectedFrames(int count)
    {
        var corpus = MqttTestPackets.All(MqttProtocolVersion.V500)
            .Where(p => p is PublishPacket or PubAckPacket or SubAckPacket)
            .Select(p => new MqttPacketEncoder().Encode(p, MqttProtocolVersion.V500))
            .ToArray();
        var random = new Random(5);
        var found = 0;
        while (found < count)
        {
            var frame = MqttFuzzer.Mutate(corpus[random.Next(corpus.Length)], random);
            if (IsWholeFrame(frame) && IsRejected(frame))
            {
                found++;
                yield return frame;
            }
        }
    }

    private static bool IsWholeFrame(byte[] frame)
    {
        try
        {
            return MqttVariableByteInteger.TryRead(frame.AsSpan(1), "remaining length", out var remaining, out var size)
                && 1 + size + remaining == frame.Length;
        }
        catch (MqttProtocolException)
        {
            return false;
        }
    }

    private static bool IsRejected(byte[] frame)
    {
        try
        {
            MqttPacketDecoder.Decode(frame, MqttProtocolVersion.V500);
            return false;
        }
        catch (MqttProtocolException)
        {
            return true;
        }
    }
}
