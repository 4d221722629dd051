using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Appliance.Systemd;

/// <summary>The service's console log: priority-prefixed lines for journald under systemd, timestamped single lines elsewhere.</summary>
public static class ServiceConsoleLogging
{
    public static ILoggingBuilder AddServiceConsole(this ILoggingBuilder builder, SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(systemd);
        if (!systemd.UnderJournal)
        {
            return builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.AddConsole(options => options.FormatterName = JournaldConsoleFormatter.FormatterName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, JournaldConsoleFormatter>());
        return builder;
    }
}
