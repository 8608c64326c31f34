using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Tests.Shared;

/// <summary>
/// A logger factory that counts the events logged by id, so a test waits for what a component says it did (a stream
/// subscribed, a connection made) instead of sleeping for as long as that usually takes.
/// </summary>
internal sealed class LogSignals : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentDictionary<int, int> _counts = new();

    /// <summary>How many times the event <paramref name="eventId"/> was logged so far.</summary>
    public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

    /// <summary>Until the event <paramref name="eventId"/> has been logged <paramref name="count"/> times in all.</summary>
    public Task WaitAsync(int eventId, int count = 1, TimeSpan? patience = null) =>
        Wait.UntilAsync(() => Count(eventId) >= count, $"event {eventId} logged {count} time(s) (seen {Count(eventId)})", patience);

    public ILogger CreateLogger(string categoryName) => new Counter(_counts);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Counter(ConcurrentDictionary<int, int> counts) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            counts.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
    }
}
