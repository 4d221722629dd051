using System.Net;
using System.Net.Sockets;
using Appliance.Mqtt.Packets;

namespace Appliance.Tests.Mqtt;

/// <summary>A scripted MQTT server on a loopback port: the test decides every packet it sends and checks every packet it gets.</summary>
internal sealed class FakeMqttServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FakeMqttServer()
    {
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<FakeMqttPeer> AcceptAsync() =>
        new(await _listener.AcceptTcpClientAsync(MqttTestTimeouts.Token()).ConfigureAwait(false));

    /// <summary>Accepts a connection, reads its CONNECT and accepts it with <paramref name="ack"/> (default: success, no session).</summary>
    public async Task<(FakeMqttPeer Peer, ConnectPacket Connect)> AcceptSessionAsync(ConnAckPacket? ack = null)
    {
        var peer = await AcceptAsync().ConfigureAwait(false);
        var connect = await peer.ExpectAsync<ConnectPacket>().ConfigureAwait(false);
        await peer.SendAsync(ack ?? new ConnAckPacket()).ConfigureAwait(false);
        return (peer, connect);
    }

    public void Dispose() => _listener.Stop();
}

internal sealed class FakeMqttPeer : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly MqttPacketEncoder _encoder = new();

    public FakeMqttPeer(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Taken from the CONNECT once it is read.</summary>
    public MqttProtocolVersion Version { get; private set; } = MqttProtocolVersion.V500;

    /// <summary>The next packet, or null when the client closed the connection.</summary>
    public async Task<MqttPacket?> ReceiveAsync()
    {
        var token = MqttTestTimeouts.Token();
        var first = new byte[1];
        if (await _stream.ReadAsync(first, token).ConfigureAwait(false) == 0)
        {
            return null;
        }

        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var digit = new byte[1];
            await _stream.ReadExactlyAsync(digit, token).ConfigureAwait(false);
            length |= (digit[0] & 0x7F) << shift;
            if ((digit[0] & 0x80) == 0)
            {
                break;
            }
        }

        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, token).ConfigureAwait(false);
        var packet = MqttPacketDecoder.DecodeBody(first[0], body, Version);
        if (packet is ConnectPacket connect)
        {
            Version = connect.ProtocolVersion;
        }

        return packet;
    }

    public async Task<TPacket> ExpectAsync<TPacket>()
        where TPacket : MqttPacket
    {
        var packet = await ReceiveAsync().ConfigureAwait(false);
        return packet as TPacket
            ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(TPacket).Name}, got {packet?.Type.ToString() ?? "end of stream"}.");
    }

    /// <summary>Reads until the client closes the connection; fails if it sends anything else first.</summary>
    public async Task ExpectClosedAsync()
    {
        try
        {
            var packet = await ReceiveAsync().ConfigureAwait(false);
            Assert.Null(packet);
        }
        catch (IOException)
        {
            // A reset is as closed as a FIN.
        }
    }

    public Task SendAsync(MqttPacket packet) => SendRawAsync(_encoder.Encode(packet, Version));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes, MqttTestTimeouts.Token()).ConfigureAwait(false);

    public void Dispose() => _client.Dispose();
}

internal static class MqttTestTimeouts
{
    /// <summary>Generous bound for any single wait; a healthy run takes milliseconds.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static CancellationToken Token() => new CancellationTokenSource(Wait).Token;

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Wait);

    public static Task Within(this Task task) => task.WaitAsync(Wait);
}
