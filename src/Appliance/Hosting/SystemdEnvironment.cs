using System.Globalization;

namespace Appliance.Hosting;

/// <summary>
/// What systemd tells a service through its environment: where to send notifications (NOTIFY_SOCKET, sd_notify(3)),
/// how often to ping the watchdog (WATCHDOG_USEC, for the process WATCHDOG_PID names) and whether the standard
/// streams go to the journal (JOURNAL_STREAM, systemd.exec(5)).
/// </summary>
public sealed record SystemdEnvironment(string? NotifySocket, TimeSpan? WatchdogInterval, bool UnderJournal)
{
    /// <summary>Why WATCHDOG_USEC/WATCHDOG_PID were ignored, when they were set but unusable; null otherwise.</summary>
    public string? WatchdogProblem { get; init; }

    /// <summary>Not started by systemd: nothing to notify, no watchdog, plain console logs.</summary>
    public static SystemdEnvironment None { get; } = new(null, null, UnderJournal: false);

    /// <summary>Why <paramref name="notifySocket"/> cannot be reached (sd_notify takes an absolute path or an abstract '@' name); null when it can.</summary>
    public static string? NotifySocketProblem(string notifySocket)
    {
        ArgumentNullException.ThrowIfNull(notifySocket);
        return notifySocket.Length >= 2 && notifySocket[0] is '/' or '@'
            ? null
            : $"NOTIFY_SOCKET must be an absolute socket path or an abstract name starting with '@', got '{notifySocket}'";
    }

    public static SystemdEnvironment FromProcess() => Read(Environment.GetEnvironmentVariable, Environment.ProcessId);

    /// <summary>Reads the variables through <paramref name="variable"/>; the watchdog applies only to <paramref name="processId"/>.</summary>
    public static SystemdEnvironment Read(Func<string, string?> variable, int processId)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var socket = variable("NOTIFY_SOCKET");
        var underJournal = !string.IsNullOrEmpty(variable("JOURNAL_STREAM"));
        var (interval, problem) = ReadWatchdog(variable("WATCHDOG_USEC"), variable("WATCHDOG_PID"), processId);
        return new SystemdEnvironment(string.IsNullOrEmpty(socket) ? null : socket, interval, underJournal) { WatchdogProblem = problem };
    }

    private static (TimeSpan? Interval, string? Problem) ReadWatchdog(string? microseconds, string? pid, int processId)
    {
        if (string.IsNullOrEmpty(microseconds))
        {
            return (null, null);
        }

        if (!ulong.TryParse(microseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0 || usec > long.MaxValue / 10)
        {
            return (null, $"WATCHDOG_USEC must be a positive number of microseconds, got '{microseconds}'");
        }

        // The watchdog belongs to the process systemd started; a child that inherited the variables must not ping for it.
        if (!string.IsNullOrEmpty(pid))
        {
            if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner))
            {
                return (null, $"WATCHDOG_PID must be a process id, got '{pid}'");
            }

            if (owner != processId)
            {
                return (null, null);
            }
        }

        return (TimeSpan.FromTicks((long)usec * 10), null);
    }
}
