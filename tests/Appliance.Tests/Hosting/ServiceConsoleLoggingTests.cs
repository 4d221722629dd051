using Appliance.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Appliance.Tests.Hosting;

public sealed class ServiceConsoleLoggingTests
{
    private static readonly SystemdEnvironment UnderJournal = new(null, null, UnderJournal: true);

    [Theory]
    [InlineData(LogLevel.Critical, "<2>")]
    [InlineData(LogLevel.Error, "<3>")]
    [InlineData(LogLevel.Warning, "<4>")]
    [InlineData(LogLevel.Information, "<6>")]
    [InlineData(LogLevel.Debug, "<7>")]
    [InlineData(LogLevel.Trace, "<7>")]
    public void Under_the_journal_a_line_starts_with_the_syslog_priority_of_its_level(LogLevel level, string prefix)
    {
        Assert.Equal($"{prefix}Appliance.Api[1] broker connected{Environment.NewLine}", Format(level, "broker connected"));
    }

    [Fact]
    public void A_multi_line_message_stays_one_journal_entry()
    {
        var text = Format(LogLevel.Warning, "first\nsecond\nthird");

        Assert.Equal($"<4>Appliance.Api[1] first second third{Environment.NewLine}", text);
    }

    [Fact]
    public void An_exception_stays_in_its_entry_without_colours()
    {
        InvalidOperationException exception;
        try
        {
            throw new InvalidOperationException("model file truncated");
        }
        catch (InvalidOperationException ex)
        {
            exception = ex;
        }

        var text = Format(LogLevel.Error, "load failed", exception);

        var line = Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("<3>Appliance.Api[1] load failed System.InvalidOperationException: model file truncated", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void Under_the_journal_the_console_logger_uses_the_systemd_format()
    {
        var options = ConsoleOptions(UnderJournal, out _);

        Assert.Equal(ConsoleFormatterNames.Systemd, options.FormatterName);
    }

    [Fact]
    public void Outside_the_journal_the_console_logger_writes_plain_single_lines()
    {
        var options = ConsoleOptions(SystemdEnvironment.None, out _);

        Assert.Equal(ConsoleFormatterNames.Simple, options.FormatterName);
    }

    private static ConsoleLoggerOptions ConsoleOptions(SystemdEnvironment systemd, out ServiceProvider provider)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddServiceConsole(systemd));
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
    }

    // Formats one entry with the formatter the service's console logger uses under the journal.
    private static string Format(LogLevel level, string message, Exception? exception = null)
    {
        var options = ConsoleOptions(UnderJournal, out var provider);
        using (provider)
        {
            var formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName);
            using var writer = new StringWriter();
            var entry = new LogEntry<string>(level, "Appliance.Api", new EventId(1), message, exception, static (state, _) => state);
            formatter.Write(entry, null, writer);
            return writer.ToString();
        }
    }
}
