using Microsoft.Extensions.Logging;
using System.Threading.Channels;

namespace Appliance.Tests.TelemetryPublishing;

/// <summary>A logger that hands every entry to the test, so it can wait for the service to have logged something.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Channel<(LogLevel Level, string Message)> _entries = Channel.CreateUnbounded<(LogLevel, string)>();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Writer.TryWrite((logLevel, formatter(state, exception)));

    /// <summary>The next entry at <paramref name="level"/>, waiting at most 10 s.</summary>
    public async Task<string> NextAsync(LogLevel level)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (entryLevel, message) = await _entries.Reader.ReadAsync(timeout.Token);
            if (entryLevel == level)
            {
                return message;
            }
        }
    }
}
