using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// Many symbols' market data through the real adapter (<see cref="BinanceMarketData"/>, combined streams) from the
/// sandbox on loopback, both in this process: stream connections opened, time until every symbol has had a trade after
/// the start and after the sandbox drops every connection at once, CPU (this whole process, sandbox included) per
/// 1,000 trades a second, and peak working set.
/// </summary>
internal static class ManySymbolStreams
{
    public static async Task<string> RunAsync(int symbolCount, int tradesPerSecond, TimeSpan loadFor)
    {
        var names = Enumerable.Range(1, symbolCount).Select(i => $"S{i:D4}USDT").ToArray();
        var options = new SandboxOptions { Port = 0, MaxQueuedMessagesPerConnection = 1_000_000 };
        options.ApiKeys.Add(new SandboxApiKey("bench-key", "bench-secret"));
        foreach (var name in names)
        {
            options.Symbols.Add(new SymbolFilters { Symbol = name, BaseAsset = name[..5], QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 5m });
        }

        await using var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        await using var market = new BinanceMarketData(Options.Create(new BinanceMarketDataOptions { StreamBaseUrl = new Uri(server.StreamBaseUrl) }));
        var last = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long received = 0;
        var clock = Stopwatch.StartNew();
        var subscriptions = names.Select(n => market.MarketTrades(n).Subscribe(t =>
        {
            last[t.Symbol] = t.TradeId;
            Interlocked.Increment(ref received);
        })).ToArray();
        long id = 0;

        // Every symbol has had a trade newer than `since`: publish one per symbol that has not, every 100 ms.
        async Task<TimeSpan> AllTradingAsync(long since)
        {
            var started = clock.Elapsed;
            while (names.Any(n => last.GetValueOrDefault(n) <= since))
            {
                var round = Interlocked.Increment(ref id);
                foreach (var n in names.Where(n => last.GetValueOrDefault(n) <= since))
                {
                    server.PublishTrade(new TradeEvent(n, round, 0.5m, 1m, DateTimeOffset.UtcNow));
                }

                await Task.Delay(100);
            }

            return clock.Elapsed - started;
        }

        var atStart = await AllTradingAsync(0);
        var connectionsAtStart = server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams);

        // Load: tradesPerSecond trades spread over the symbols, in 10 ms slices.
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var receivedBefore = Interlocked.Read(ref received);
        var load = Stopwatch.StartNew();
        long published = 0;
        while (load.Elapsed < loadFor)
        {
            var due = (long)(load.Elapsed.TotalSeconds * tradesPerSecond);
            for (; published < due; published++)
            {
                server.PublishTrade(new TradeEvent(names[published % names.Length], Interlocked.Increment(ref id), 0.5m, 1m, DateTimeOffset.UtcNow));
            }

            await Task.Delay(10);
        }

        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var rate = (Interlocked.Read(ref received) - receivedBefore) / load.Elapsed.TotalSeconds;

        var beforeDrop = Interlocked.Read(ref id);
        server.Faults.DropWebSockets(SandboxSocketKinds.MarketStreams);
        var afterDrop = await AllTradingAsync(beforeDrop);
        process.Refresh();
        foreach (var s in subscriptions)
        {
            s.Dispose();
        }

        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"""
            {symbolCount:N0} symbols, combined streams of 200 (BinanceMarketData against the sandbox on loopback, one process)
              stream connections opened at start: {connectionsAtStart}; after the mass drop: {server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams) - connectionsAtStart} more
              every symbol had a trade {atStart.TotalSeconds:F2} s after the start, {afterDrop.TotalSeconds:F2} s after the sandbox dropped every connection
              load: {published:N0} trades published in {load.Elapsed.TotalSeconds:F1} s, {rate:N0} delivered/s; CPU {cpu.TotalSeconds:F2} s = {cpu.TotalSeconds / load.Elapsed.TotalSeconds / (rate / 1000):F3} s of CPU per second per 1,000 trades/s (sandbox and adapter together)
              peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB
            """);
    }
}
