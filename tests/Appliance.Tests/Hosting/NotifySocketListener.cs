using Appliance.TestSupport;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Tests.Hosting;

/// <summary>Plays systemd's side of sd_notify: a unix datagram socket bound to a path (or an abstract name).</summary>
internal sealed class NotifySocketListener : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempDirectory? _directory;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    private NotifySocketListener(string address, string bindPath, TempDirectory? directory)
    {
        Address = address;
        _directory = directory;
        _socket.Bind(new UnixDomainSocketEndPoint(bindPath));
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Address { get; }

    public static NotifySocketListener AtPath()
    {
        var directory = new TempDirectory("notify");
        var path = directory.Combine("notify.sock");
        return new NotifySocketListener(path, path, directory);
    }

    public static NotifySocketListener Abstract()
    {
        var name = $"appliance-test-{Guid.NewGuid():N}";
        return new NotifySocketListener("@" + name, "\0" + name, null);
    }

    /// <summary>The next datagram; fails the test when none arrives within a generous bound.</summary>
    public async Task<string> ReceiveAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No notification arrived on {Address} within {Wait.TotalSeconds} s.");
        }
    }

    /// <summary>Datagrams until one has the line <paramref name="line"/> (bounded: fails after 1,000 others).</summary>
    public Task<List<string>> ReceiveUntilAsync(string line) => ReceiveUntilAsync(candidate => candidate == line, $"'{line}'");

    /// <summary>Datagrams until one has a line matching <paramref name="match"/> (bounded: fails after 1,000 others).</summary>
    public async Task<List<string>> ReceiveUntilAsync(Func<string, bool> match, string description)
    {
        var seen = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var message = await ReceiveAsync();
            seen.Add(message);
            if (message.Split('\n').Any(match))
            {
                return seen;
            }
        }

        throw new InvalidOperationException($"{description} not among 1,000 notifications: {string.Join(" | ", seen)}");
    }

    public void Dispose()
    {
        _socket.Dispose();
        _directory?.Dispose();
    }
}
