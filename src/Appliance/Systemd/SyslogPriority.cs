using Microsoft.Extensions.Logging;

namespace Appliance.Systemd;

/// <summary>The "&lt;N&gt;" line prefixes journald reads as syslog priorities (sd-daemon.h: SD_ERR "&lt;3&gt;" ... SD_DEBUG "&lt;7&gt;").</summary>
public static class SyslogPriority
{
    public const int Critical = 2;
    public const int Error = 3;
    public const int Warning = 4;
    public const int Notice = 5;
    public const int Informational = 6;
    public const int Debug = 7;

    public static int For(LogLevel level) => level switch
    {
        LogLevel.Critical => Critical,
        LogLevel.Error => Error,
        LogLevel.Warning => Warning,
        LogLevel.Information => Informational,
        _ => Debug,
    };

    /// <summary>The prefix for <paramref name="level"/>, one cached string per level.</summary>
    public static string Prefix(LogLevel level) => For(level) switch
    {
        Critical => "<2>",
        Error => "<3>",
        Warning => "<4>",
        Informational => "<6>",
        _ => "<7>",
    };
}
