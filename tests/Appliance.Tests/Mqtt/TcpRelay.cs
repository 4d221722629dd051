using System.Net;
using System.Net.Sockets;

namespace Appliance.Tests.Mqtt;

/// <summary>Forwards one loopback port to another so a test can cut a live connection without the client saying goodbye.</summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _sockets = [];
    private readonly List<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>While false, new connections are closed as soon as they are accepted (the target looks down); live ones go on.</summary>
    public bool AcceptsConnections { get; set; } = true;

    /// <summary>Closes this many of the next connections as soon as they are accepted, then relays again.</summary>
    public void CloseNext(int count) => Volatile.Write(ref _closeNext, count);

    private int _closeNext;

    /// <summary>Writes <paramref name="bytes"/> to every relayed client as if the target had sent them (malformed-packet tests).</summary>
    public async Task InjectIntoClientsAsync(byte[] bytes)
    {
        TcpClient[] clients;
        lock (_sockets)
        {
            clients = [.. _clients];
        }

        foreach (var client in clients)
        {
            try
            {
                await client.GetStream().WriteAsync(bytes, MqttTestTimeouts.Token()).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // That client is already gone.
            }
        }
    }

    /// <summary>Resets every relayed connection on both sides: to the broker it looks like the client vanished.</summary>
    public void Cut()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Client.LingerState = new LingerOption(true, 0);
                socket.Dispose();
            }

            _sockets.Clear();
            _clients.Clear();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                if (!AcceptsConnections || Interlocked.Decrement(ref _closeNext) >= 0)
                {
                    inbound.Client.LingerState = new LingerOption(true, 0);
                    inbound.Dispose();
                    continue;
                }

                var outbound = new TcpClient();
                await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token).ConfigureAwait(false);
                lock (_sockets)
                {
                    _sockets.Add(inbound);
                    _sockets.Add(outbound);
                    _clients.Add(inbound);
                }

                _ = PipeAsync(inbound.GetStream(), outbound.GetStream());
                _ = PipeAsync(outbound.GetStream(), inbound.GetStream());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The relay is shutting down.
        }
    }

    private static async Task PipeAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Cut() closed the sockets under the copy.
        }
    }
}
