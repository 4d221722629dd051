using Appliance.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Appliance.Tests.Systemd;

public sealed class JournaldConsoleFormatterTests
{
    [Theory]
    [InlineData(LogLevel.Critical, "<2>")]
    [InlineData(LogLevel.Error, "<3>")]
    [InlineData(LogLevel.Warning, "<4>")]
    [InlineData(LogLevel.Information, "<6>")]
    [InlineData(LogLevel.Debug, "<7>")]
    [InlineData(LogLevel.Trace, "<7>")]
    public void Prefixes_the_line_with_the_syslog_priority_of_its_level(LogLevel level, string prefix)
    {
        Assert.Equal($"{prefix}Appliance.Api: broker connected\n", Format(level, "broker connected"));
    }

    [Fact]
    public void Every_line_of_a_multi_line_message_carries_the_priority()
    {
        Assert.Equal("<4>Appliance.Api: first\n<4>  second\n<4>  third\n", Format(LogLevel.Warning, "first\nsecond\r\nthird\n"));
    }

    [Fact]
    public void An_exception_follows_on_prefixed_lines_without_colours()
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
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("<3>Appliance.Api: load failed", lines[0]);
        Assert.Equal("<3>  System.InvalidOperationException: model file truncated", lines[1]);
        Assert.True(lines.Length > 2, text);
        Assert.All(lines, line => Assert.StartsWith("<3>", line, StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void Writes_nothing_for_an_empty_message()
    {
        Assert.Equal(string.Empty, Format(LogLevel.Information, string.Empty));
    }

    [Fact]
    public void Under_the_journal_the_console_logger_uses_it()
    {
        var options = ConsoleOptions(new SystemdEnvironment(null, null, UnderJournal: true), out var formatters);

        Assert.Equal(JournaldConsoleFormatter.FormatterName, options.FormatterName);
        Assert.Contains(formatters, formatter => formatter is JournaldConsoleFormatter);
    }

    [Fact]
    public void Outside_the_journal_the_console_logger_writes_plain_single_lines()
    {
        var options = ConsoleOptions(SystemdEnvironment.None, out var formatters);

        Assert.Equal(ConsoleFormatterNames.Simple, options.FormatterName);
        Assert.DoesNotContain(formatters, formatter => formatter is JournaldConsoleFormatter);
    }

    private static ConsoleLoggerOptions ConsoleOptions(SystemdEnvironment systemd, out List<ConsoleFormatter> formatters)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddServiceConsole(systemd));
        using var provider = services.BuildServiceProvider();
        formatters = [.. provider.GetServices<ConsoleFormatter>()];
        return provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
    }

    private static string Format(LogLevel level, string message, Exception? exception = null)
    {
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Appliance.Api", new EventId(1), message, exception, static (state, _) => state);
        new JournaldConsoleFormatter().Write(entry, null, writer);
        return writer.ToString();
    }
}
