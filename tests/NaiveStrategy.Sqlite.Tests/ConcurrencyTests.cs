using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

public sealed class ConcurrencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SaveSymbol_SymbolsInParallel_EveryWriteKept()
    {
        string[] symbols = ["XRPUSDT", "BTCUSDT", "ETHUSDT", "BNBUSDT", "ADAUSDT", "SOLUSDT"];
        const int steps = 15;
        var store = new SqliteStrategyStore(_dir.File());
        using var start = new Barrier(symbols.Length);

        void Run(string symbol)
        {
            start.SignalAndWait();
            for (var i = 0; i < steps; i++)
            {
                var id = $"{symbol}-{i.ToString(CultureInfo.InvariantCulture)}";
                store.SaveSymbol(Leader(symbol, SymbolStatus.On, Buying($"{symbol}-keep", symbol), Selling(id, symbol)));
                store.RecordIntent(Intent($"{id}-s", symbol: symbol));
                store.RecordOrderUpdate(Update($"{id}-s") with { Symbol = symbol });
            }
        }

        // Own threads, not pool ones: the barrier would hold pool threads until the pool grows.
        using (store)
        {
            await Task.WhenAll(symbols.Select(symbol => Task.Factory.StartNew(() => Run(symbol), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        var loaded = reopened.Load();
        loaded.Select(s => s.Settings.Symbol).Should().BeEquivalentTo(symbols);
        foreach (var symbol in loaded)
        {
            var name = symbol.Settings.Symbol;
            symbol.Traders.Should().Equal(Buying($"{name}-keep", name), Selling($"{name}-{steps - 1}", name));
            reopened.ReadIntents(name).Select(i => i.Request.ClientOrderId).Should().Equal(Enumerable.Range(0, steps).Select(i => $"{name}-{i}-s"));
            reopened.ReadOrderUpdates(name).Should().HaveCount(steps);
        }
    }

    [Fact]
    public void SaveSymbolThenRecordIntent_Durable_CostMeasured()
    {
        const int warmup = 50;
        const int rounds = 500;
        using var store = new SqliteStrategyStore(_dir.File());
        var states = Enumerable.Range(0, warmup + rounds).Select(i => Leader(Buying("w-keep"), Selling("w-" + i.ToString(CultureInfo.InvariantCulture)))).ToArray();
        var intents = states.Select(s => Intent(s.Traders[1].TraderId + "-s")).ToArray();
        for (var i = 0; i < warmup; i++)
        {
            store.SaveSymbol(states[i]);
            store.RecordIntent(intents[i]);
        }

        var clock = Stopwatch.StartNew();
        for (var i = warmup; i < states.Length; i++)
        {
            store.SaveSymbol(states[i]);
            store.RecordIntent(intents[i]);
        }

        clock.Stop();
        var mean = clock.Elapsed.TotalMilliseconds / rounds;
        output.WriteLine($"SaveSymbol (2 traders) + RecordIntent, WAL + synchronous=FULL: {mean.ToString("F3", CultureInfo.InvariantCulture)} ms per pair (mean of {rounds}), on {_dir.Path}");
        store.ReadIntents().Should().HaveCount(warmup + rounds);
        mean.Should().BeLessThan(250, "a durable save must stay well under a second even on a slow disk");
    }
}
