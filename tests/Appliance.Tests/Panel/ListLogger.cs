using Microsoft.Extensions.Logging;

namespace Appliance.Tests.Panel;

/// <summary>Keeps every log entry (level and formatted message) for assertions.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];
    private readonly List<Exception> _exceptions = [];

    /// <summary>The exceptions passed with the entries (each one becomes a stack trace in a real log).</summary>
    public IReadOnlyList<Exception> Exceptions
    {
        get
        {
            lock (_gate)
            {
                return [.. _exceptions];
            }
        }
    }

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _entries.Add((logLevel, formatter(state, exception)));
            if (exception is not null)
            {
                _exceptions.Add(exception);
            }
        }
    }
}
