using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// <c>symbols THREADS ROUNDS FILE…</c>: the strategy side of a several-symbol backtest without the reader. The files
/// are read once into memory (merged by time); each round replays them through one engine for every symbol on one
/// thread, then through one engine and exchange per symbol, each batch of 32,768 trades replayed by the symbols'
/// sessions in parallel on up to THREADS cores, and checks that the combined result is the shared one.
/// </summary>
internal static class SymbolEngines
{
    private const int BatchSize = 32_768;

    public static async Task RunAsync(int threads, int rounds, IReadOnlyList<string> files)
    {
        var set = TradeFileReader.Open(files);
        var trades = set.ToArray();
        var symbols = set.Symbols;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trades.Length:N0} trades of {string.Join(", ", symbols)} in memory"));
        for (var round = 1; round <= rounds; round++)
        {
            var shared = await MeasureAsync($"one engine, 1 thread       (round {round})", trades.Length, async () =>
            {
                var (session, engine) = await StartAsync(symbols, symbols, null);
                await using (engine)
                {
                    session.Replay(trades);
                    return session.Complete();
                }
            });

            var combined = await MeasureAsync($"engine per symbol, {threads} threads (round {round})", trades.Length, async () =>
            {
                var runs = new List<(BacktestSession Session, NaiveStrategyEngine Engine)>();
                foreach (var symbol in symbols)
                {
                    runs.Add(await StartAsync(symbols, [symbol], symbol));
                }

                var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
                for (var start = 0; start < trades.Length; start += BatchSize)
                {
                    var batch = new ReadOnlyMemory<TradeEvent>(trades, start, Math.Min(BatchSize, trades.Length - start));
                    Parallel.ForEach(runs, parallel, r => r.Session.Replay(batch.Span));
                }

                var result = BacktestResult.Combine(runs.Select(r => r.Session.Complete()));
                foreach (var (_, engine) in runs)
                {
                    await engine.DisposeAsync();
                }

                return result;
            });

            if (combined.ToJson() != shared.ToJson() || !combined.Journal.SequenceEqual(shared.Journal))
            {
                throw new InvalidOperationException("The per-symbol engines' combined result differs from the shared engine's.");
            }
        }
    }

    private static async Task<BacktestResult> MeasureAsync(string name, int trades, Func<Task<BacktestResult>> run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await run();
        watch.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {watch.Elapsed.TotalSeconds:F3} s, {trades / watch.Elapsed.TotalSeconds / 1e6:F2} M trades/s (cpu {used.TotalSeconds:F3} s), {result.Journal.Count} orders"));
        return result;
    }

    // The sample's settings and funding: every symbol's budget on the account, whichever symbols it trades.
    private static async Task<(BacktestSession Session, NaiveStrategyEngine Engine)> StartAsync(IReadOnlyList<string> all, IReadOnlyList<string> traded, string? only)
    {
        const decimal budget = 100m;
        var exchangeOptions = new InMemoryExchangeOptions { Balances = { ["USDT"] = budget * all.Count }, StartTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        var options = new NaiveStrategyOptions();
        foreach (var symbol in traded)
        {
            exchangeOptions.Symbols.Add(new SymbolFilters { Symbol = symbol, BaseAsset = symbol[..^4], QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 10m });
            options.AddSymbol(symbol, s => s with { Chunks = 5, Budget = budget, BuyDownInterval = 0.0001m, ProfitInterval = 0.001m, RebuyInterval = 0.001m });
        }

        var exchange = new InMemoryExchange(exchangeOptions);
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bench"), exchange.Clock);
        var session = new BacktestSession(engine, exchange, symbol: only);
        await session.StartAsync();
        return (session, engine);
    }
}
