using System.Net.Sockets;
using System.Text;

namespace Appliance.Systemd;

/// <summary>
/// Sends sd_notify(3) messages ("READY=1", "STATUS=...") as datagrams to systemd's notification socket: a path, or
/// an abstract socket name written with a leading '@'.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    public SystemdNotifier(string notifySocket)
    {
        ArgumentNullException.ThrowIfNull(notifySocket);
        if (notifySocket.Length < 2 || notifySocket[0] is not ('/' or '@'))
        {
            throw new ArgumentException(
                $"NOTIFY_SOCKET must be an absolute socket path or an abstract name starting with '@', got '{notifySocket}'.", nameof(notifySocket));
        }

        // Abstract names live in a namespace of their own, addressed by a leading NUL byte.
        _endpoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>Sends one message (one or more "KEY=value" lines); throws <see cref="SocketException"/> when it cannot.</summary>
    public void Send(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _endpoint);
    }

    public void Dispose() => _socket.Dispose();
}
