using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>One captured log entry: its category, level, and text (message, each state value, the exception).</summary>
public sealed record LogLine(string Category, LogLevel Level, string Text);

/// <summary>
/// A logger provider that captures every entry the host's log filters let through (set their levels in the
/// host's settings, e.g. <c>Logging:LogLevel:Polly</c>).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values)
                {
                    text.Append(" | ").Append(name).Append('=').Append(value is string s ? s : value is System.Collections.IEnumerable e ? string.Join(",", e.Cast<object?>()) : value);
                }
            }

            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }

            lines.Enqueue(new LogLine(category, logLevel, text.ToString()));
        }
    }
}
