using Microsoft.Extensions.Hosting.Systemd;

namespace Appliance.Tests.Hosting;

/// <summary>
/// Microsoft.Extensions.Hosting.Systemd's own notifier aimed at a test socket. It reads NOTIFY_SOCKET when it is made,
/// so the variable is set just for that moment (child processes started by tests drop it from their environment).
/// </summary>
internal static class LibraryNotifier
{
    private static readonly Lock Gate = new();

    public static SystemdNotifier For(string? notifySocket)
    {
        lock (Gate)
        {
            var previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", notifySocket);
            try
            {
                return new SystemdNotifier();
            }
            finally
            {
                Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
            }
        }
    }
}
