using BenchmarkDotNet.Attributes;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// One backtest from memory (the file parsed once in setup): every trade through the engine (<see cref="Full"/>)
/// against the same trades indexed and the quiet ones skipped (<see cref="Skip"/>, the index built inside the
/// operation). Same result; one operation = the whole file.
/// </summary>
[MemoryDiagnoser]
public class SkipBenchmarks
{
    private TradeEvent[] _trades = [];

    /// <summary>Trades in the file.</summary>
    [Params(1_000_000)]
    public int Trades { get; set; }

    /// <summary>Generates and parses the file once.</summary>
    [GlobalSetup]
    public void Setup() => _trades = [.. TradeFileReader.Open([BenchmarkData.File(Trades)])];

    /// <summary>Every trade through the exchange and the engine.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Full() => (await SkipModes.RunAsync(_trades, null, (5, 0.001m, 0.002m, 0.005m))).Result.Journal.Count;

    /// <summary>The trades indexed, then only those that may change something through the exchange and the engine.</summary>
    [Benchmark]
    public async Task<int> Skip() => (await SkipModes.RunAsync(_trades, new TradeIndex(_trades), (5, 0.001m, 0.002m, 0.005m))).Result.Journal.Count;
}
