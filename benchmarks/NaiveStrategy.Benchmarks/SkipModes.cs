using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// "skip FILE [SETTINGS [THREADS [full|ROUNDS]]]": the file read once into memory and indexed once (<see cref="TradeIndex"/>),
/// then SETTINGS settings of the sweep's grid (chunks × buy-down × profit, the first SETTINGS of it) replayed with
/// skipping ROUNDS times (the first round pays the JIT; wall and CPU time, bytes allocated, collections and GC pause per round) and, with "full", once without; per setting the share of trades skipped and the jumps, in total the
/// setting-trades per second of each. The results are compared byte for byte.
/// </summary>
internal static class SkipModes
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string path, int settings, int threads, bool full, int rounds)
    {
        var watch = Stopwatch.StartNew();
        var trades = TradeFileReader.Open([path]).ToArray();
        Console.WriteLine(string.Create(Inv, $"read {trades.Length:N0} trades in {watch.Elapsed.TotalSeconds:F3} s"));
        watch.Restart();
        var index = new TradeIndex(trades);
        Console.WriteLine(string.Create(Inv, $"index built in {watch.Elapsed.TotalSeconds:F3} s"));
        var grid = Grid().Take(settings).ToArray();
        var skipped = new long[grid.Length];
        var jumps = new long[grid.Length];
        var jsons = new string[grid.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var work = (double)trades.Length * grid.Length;

        // NAIVE_ALLOC=1: the replays' allocations sampled by type (one tick per ~100 KB), printed after the rounds.
        using var alloc = Environment.GetEnvironmentVariable("NAIVE_ALLOC") == "1" ? new AllocProfile() : null;
        for (var round = 1; round <= rounds; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var paused = GC.GetTotalPauseDuration();
            watch.Restart();
            await Parallel.ForEachAsync(Enumerable.Range(0, grid.Length), parallel, async (i, _) =>
            {
                var (result, s, j) = await RunAsync(trades, index, grid[i]);
                (jsons[i], skipped[i], jumps[i]) = (result.ToJson(), s, j);
            });
            var elapsed = watch.Elapsed;
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Console.WriteLine(string.Create(Inv, $"skip (round {round}): {grid.Length} settings × {trades.Length:N0} trades in {elapsed.TotalSeconds:F3} s (cpu {used.TotalSeconds:F3} s), {work / elapsed.TotalSeconds / 1e6:F1} M setting-trades/s ({work / used.TotalSeconds / 1e6:F1} M per CPU-second); skipped {skipped.Sum() / work:P2} of the trades in {jumps.Sum():N0} jumps ({skipped.Sum() / (double)Math.Max(1, jumps.Sum()):N0} trades per jump), {work - skipped.Sum():N0} replayed one by one; allocated {bytes / 1e6:F1} MB; GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen 0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms"));
        }

        foreach (var (type, ticks) in alloc?.Types.OrderByDescending(t => t.Value).Take(20) ?? [])
        {
            Console.WriteLine(string.Create(Inv, $"  {ticks,6:N0} allocation ticks  {type}"));
        }

        if (!full)
        {
            return;
        }

        var fullCpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        var same = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, grid.Length), parallel, async (i, _) =>
        {
            var (result, _, _) = await RunAsync(trades, null, grid[i]);
            if (result.ToJson() == jsons[i])
            {
                Interlocked.Increment(ref same);
            }
        });
        var fullElapsed = watch.Elapsed;
        var fullUsed = Process.GetCurrentProcess().TotalProcessorTime - fullCpu;
        Console.WriteLine(string.Create(Inv, $"full: {grid.Length} settings × {trades.Length:N0} trades in {fullElapsed.TotalSeconds:F3} s (cpu {fullUsed.TotalSeconds:F3} s), {work / fullElapsed.TotalSeconds / 1e6:F1} M setting-trades/s; {same} of {grid.Length} reports identical to the skipping run's"));
    }

    // The sweep's grid: chunks × buy-down × profit × rebuy, 1,000 settings; the first 30 are the sample's 30-setting sweep.
    public static IEnumerable<(int Chunks, decimal BuyDown, decimal Profit, decimal Rebuy)> Grid() =>
        from rebuy in Rebuys
        from profit in Profits
        from chunks in Chunks
        from buyDown in BuyDowns
        select (chunks, buyDown, profit, rebuy);

    private static readonly decimal[] Rebuys = [0.001m, 0.002m, 0.003m, 0.005m, 0.0075m, 0.01m, 0.015m, 0.02m, 0.03m, 0.05m];
    private static readonly decimal[] Profits = [0.001m, 0.002m, 0.003m, 0.004m, 0.005m];
    private static readonly int[] Chunks = [1, 3, 5, 8, 10, 15, 20, 25, 30, 40];
    private static readonly decimal[] BuyDowns = [0.0001m, 0.0005m];

    public static async Task<(BacktestResult Result, long Skipped, long Jumps)> RunAsync(TradeEvent[] trades, TradeIndex? index, (int Chunks, decimal BuyDown, decimal Profit, decimal Rebuy) setting)
    {
        var filters = new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 5m };
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { filters }, Balances = { ["USDT"] = 100m }, StartTime = trades[0].Time });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = setting.Chunks, Budget = 100m, BuyDownInterval = setting.BuyDown, ProfitInterval = setting.Profit, RebuyInterval = setting.Rebuy });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bench"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync();
        if (index is null)
        {
            session.Replay(trades);
        }
        else
        {
            session.Replay(index);
        }

        return (session.Complete(), session.TradesSkipped, session.Jumps);
    }
}
