using BenchmarkDotNet.Attributes;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// The sample's 30-setting sweep (<c>--chunks 1,3,5,8,10 --buy-down 0.0001,0.0005,0.001 --profit 0.001,0.002</c>, rebuy at
/// its default 0.001; budget 100) over
/// the file <c>naive generate --count 5000000</c> writes, from memory: the trades parsed and indexed once in setup,
/// shared read-only by every setting, so an operation is the replays alone (on every core, warm JIT). One operation =
/// 30 settings × the file's trades.
/// </summary>
[MemoryDiagnoser]
public class SweepBenchmarks
{
    private static readonly (int Chunks, decimal BuyDown, decimal Profit, decimal Rebuy)[] Settings =
        [.. from chunks in new[] { 1, 3, 5, 8, 10 } from buyDown in new[] { 0.0001m, 0.0005m, 0.001m } from profit in new[] { 0.001m, 0.002m } select (chunks, buyDown, profit, 0.001m)];

    private TradeEvent[] _trades = [];
    private TradeIndex? _index;

    /// <summary>Trades in the file.</summary>
    [Params(5_000_000)]
    public int Trades { get; set; }

    /// <summary>Generates the file once (the CLI's generator defaults), parses and indexes it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _trades = [.. TradeFileReader.Open([BenchmarkData.Generated(Trades)])];
        _index = new TradeIndex(_trades);
    }

    /// <summary>30 settings replayed with skipping from the shared index, on every core.</summary>
    [Benchmark]
    public async Task<int> Sweep30()
    {
        var orders = new int[Settings.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, Settings.Length), async (i, _) =>
            orders[i] = (await SkipModes.RunAsync(_trades, _index, Settings[i])).Result.Journal.Count);
        return orders.Sum();
    }
}
