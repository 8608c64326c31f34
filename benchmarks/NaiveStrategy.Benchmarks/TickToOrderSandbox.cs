using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// Tick-to-order latency over loopback: the sandbox (<see cref="BinanceSandboxServer"/> on 127.0.0.1) publishes a
/// trade on its market stream; the real Binance adapter (streams and WebSocket API) carries it to the engine and
/// the engine's order back; the clock stops when the sandbox has placed the order (its <c>OrderPlaced</c> log
/// event, written right after the in-memory exchange accepted it). The market and the settings are those of the
/// in-process figure (<see cref="TickToOrder"/>): every trade makes the trader place one order.
/// </summary>
internal static class TickToOrderSandbox
{
    private const string Key = "bench-key";
    private const string Secret = "bench-secret";
    private const int WarmUpOrders = 200;
    private static readonly TimeSpan Miss = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(3);

    public static async Task<string> ViaSandboxAsync(int orders, TimeSpan limit)
    {
        var stamps = new PlacementStamps();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(stamps));
        var sandboxOptions = new SandboxOptions { Port = 0, RequestWeightPerMinute = int.MaxValue, MaxQueuedMessagesPerConnection = 1_000_000 };
        sandboxOptions.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        sandboxOptions.Balances["USDT"] = 1_000_000_000m;
        await using var server = new BinanceSandboxServer(sandboxOptions, loggerFactory);
        await server.StartAsync();

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(Environment.GetEnvironmentVariable("BENCH_LOG") == "1" ? LogLevel.Debug : LogLevel.None).AddConsole());
        services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT", s => s with { Chunks = 1, Budget = 100m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m, RebuyInterval = 0.5m }))
            .AddBinanceExchange(o =>
            {
                o.ApiKey = Key;
                o.SecretKey = Secret;
                o.RestBaseUrl = new Uri(server.RestBaseUrl);
                o.WebSocketApiUrl = new Uri(server.WebSocketApiUrl);
                o.StreamBaseUrl = new Uri(server.StreamBaseUrl);
            });
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        await engine.StartAsync();

        await Task.Delay(500); // streams connected
        var histogram = new LongHistogram(60 * Stopwatch.Frequency, 3);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        long id = 0;
        var recorded = 0;
        var missed = 0;
        var seen = 0;
        var low = false;
        var streak = 0;
        while (recorded < orders && clock.Elapsed < limit)
        {
            // After misses, 1.0000 and ever lower prices alternate, so whatever order is open fills (a BUY placed from a low trade included).
            var price = streak == 0 ? (low ? 0.8500m : 1.0000m)
                : (streak & 1) == 1 ? 1.0000m : Math.Round(0.8500m * (decimal)Math.Pow(0.98, Math.Min(streak / 2, 100)), 4);
            var trade = new TradeEvent("XRPUSDT", ++id, price, 1_000m, start.AddMilliseconds(id));
            var before = stamps.Count;
            var sent = Stopwatch.GetTimestamp();
            server.PublishTrade(trade);
            var placed = await stamps.WaitBeyondAsync(before, Miss);
            if (placed is not { } at)
            {
                // The trader was between states (its replacement starts on the fill report, which may come after
                // the trade): send the next trade. A placement later than the wait is drained, never counted.
                missed++;
                streak++;
                await stamps.QuietAsync(Miss);
                continue;
            }

            // Let the engine take the order's answer before the next trade (a trade that meets a pending order places nothing).
            await stamps.QuietAsync(Settle);
            low = price == 1.0000m; // a BUY was placed: the next trade fills it; a SELL: the next at 1.0000 fills it
            streak = 0;
            seen++;
            if (seen <= WarmUpOrders || stamps.Count - before > 1)
            {
                continue; // warm-up (tiered JIT, connections), or a trade that placed two orders: only single hand-offs count
            }

            histogram.RecordValue(at - sent);
            recorded++;
        }

        if (recorded == 0)
        {
            throw new InvalidOperationException($"No order reached the sandbox within {limit.TotalSeconds:F0} s ({missed} trades placed nothing within {Miss.TotalMilliseconds:F0} ms, {stamps.Count} placements in all).");
        }

        return TickToOrder.Line("via sandbox", histogram, recorded) + $" ({missed} trades placed nothing within {Miss.TotalMilliseconds:F0} ms)";
    }

    // Stamps the sandbox's OrderPlaced log events (event 4 of NaiveStrategy.Binance.Sandbox); everything else is dropped.
    private sealed class PlacementStamps : ILoggerProvider, ILogger
    {
        private readonly SemaphoreSlim _signal = new(0);
        private long _count;
        private long _last;

        public int Count => (int)Interlocked.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("NaiveStrategy.Binance.Sandbox", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 4)
            {
                Volatile.Write(ref _last, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _count);
                _signal.Release();
            }
        }

        // The stamp of the first placement after `before` placements, or null after `timeout`.
        public async Task<long?> WaitBeyondAsync(int before, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Count <= before)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !await _signal.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency)))
                {
                    return null;
                }
            }

            return Volatile.Read(ref _last);
        }

        // Waits until no placement came for `quiet`, draining the signals.
        public async Task QuietAsync(TimeSpan quiet)
        {
            while (await _signal.WaitAsync(quiet))
            {
            }
        }

        public void Dispose() => _signal.Dispose();
    }
}
