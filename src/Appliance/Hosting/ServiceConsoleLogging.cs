using Microsoft.Extensions.Logging;

namespace Appliance.Hosting;

/// <summary>
/// The service's console log: under systemd, the logging library's systemd format (each entry one line, prefixed with
/// its syslog priority so `journalctl -p warning` filters it, no colours, no timestamps — the journal adds its own);
/// elsewhere, timestamped single lines.
/// </summary>
public static class ServiceConsoleLogging
{
    public static ILoggingBuilder AddServiceConsole(this ILoggingBuilder builder, SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(systemd);
        return systemd.UnderJournal
            ? builder.AddSystemdConsole()
            : builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
    }
}
