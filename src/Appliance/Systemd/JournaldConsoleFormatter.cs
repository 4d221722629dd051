using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Appliance.Systemd;

/// <summary>
/// Console lines for journald: every line starts with its syslog priority ("&lt;6&gt;Category: message"), so
/// `journalctl -p warning` filters them; no colours, no timestamps (the journal adds its own). A multi-line message or
/// an exception's stack trace keeps the priority on each line, indented under the first.
/// </summary>
public sealed class JournaldConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "journald";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var prefix = SyslogPriority.Prefix(logEntry.LogLevel);
        textWriter.Write(prefix);
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        var lines = (message ?? string.Empty).AsSpan().TrimEnd("\r\n").EnumerateLines();
        var first = true;
        foreach (var line in lines)
        {
            if (!first)
            {
                textWriter.Write(prefix);
                textWriter.Write("  ");
            }

            textWriter.Write(line);
            textWriter.Write('\n');
            first = false;
        }

        if (logEntry.Exception is { } exception)
        {
            foreach (var line in exception.ToString().AsSpan().EnumerateLines())
            {
                textWriter.Write(prefix);
                textWriter.Write("  ");
                textWriter.Write(line);
                textWriter.Write('\n');
            }
        }
    }
}
