using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Notifications.Tests;

/// <summary>An engine on the in-memory exchange (XRPUSDT, one trader), with the notifications when asked for.</summary>
internal sealed class Rig : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _provider;
    private long _tradeId;

    private Rig(ServiceProvider provider) => _provider = provider;

    public NaiveStrategyEngine Engine => _provider.GetRequiredService<NaiveStrategyEngine>();

    public InMemoryExchange Exchange => _provider.GetRequiredService<InMemoryExchange>();

    public NaiveStrategyNotifier Notifier => _provider.GetRequiredService<NaiveStrategyNotifier>();

    public static Rig Create(Action<NaiveStrategyNotificationOptions>? notifications = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddNaiveStrategy(o => o.Symbols.Add(new SymbolSettings
        {
            Symbol = "XRPUSDT",
            Chunks = 1,
            Budget = 100m,
            BuyDownInterval = 0.0001m,
            ProfitInterval = 0.001m,
            RebuyInterval = 0.5m,
        })).AddMockExchange(o =>
        {
            o.Symbols.Add(new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 1m });
            o.Balances["USDT"] = 1_000_000m;
        });
        if (notifications is not null)
        {
            services.AddNaiveStrategyNotifications(notifications);
        }

        return new Rig(services.BuildServiceProvider());
    }

    public async Task StartAsync(bool notify = true)
    {
        if (notify)
        {
            Notifier.Start();
        }

        await Engine.StartAsync();
    }

    public void Trade(decimal price)
    {
        var id = ++_tradeId;
        Exchange.PublishTrade(new TradeEvent("XRPUSDT", id, price, 1_000m, T0.AddSeconds(id)));
    }

    /// <summary>
    /// Rounds of three trades: one to place a BUY, one below it (the BUY fills, the SELL is placed), one above the
    /// SELL (it fills, the trader finishes and a new one starts); each round's high is higher than the last, so the
    /// new trader's BUY fills at the next round's low: two fills and a cycle a round.
    /// </summary>
    public void Cycles(int rounds)
    {
        var high = 1m;
        for (var i = 0; i < rounds; i++)
        {
            Trade(high);
            Trade(0.5m);
            high = decimal.Round(high * 1.01m, 4);
            Trade(high);
        }
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>Environment variables for one test each: parallel tests never share a secret.</summary>
internal static class Secret
{
    public static string Set(string value)
    {
        var name = "NAIVE_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, value);
        return name;
    }
}

/// <summary>Keeps every log line, formatted, with its exception's text.</summary>
internal sealed class CollectingLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + " " + exception);
    }
}
