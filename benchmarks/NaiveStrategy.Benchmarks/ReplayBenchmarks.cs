using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Mock;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// (a) parse only and (b) parse + the full pipeline (5 traders, in-memory exchange), on the same
/// generated file. One operation = the whole file; divide by <see cref="Trades"/> for per-event figures.
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private string _path = "";

    /// <summary>Trades in the file.</summary>
    [Params(1_000_000, 10_000_000)]
    public int Trades { get; set; }

    /// <summary>Generates the file once.</summary>
    [GlobalSetup]
    public void Setup() => _path = BenchmarkData.File(Trades);

    /// <summary>(a) Read and parse every trade.</summary>
    [Benchmark(Baseline = true)]
    public decimal ParseOnly()
    {
        decimal volume = 0;
        foreach (var trade in TradeFileReader.Open([_path]))
        {
            volume += trade.Quantity;
        }

        return volume;
    }

    /// <summary>(b) Read, parse and run every trade through the engine with 5 traders on the in-memory exchange.</summary>
    [Benchmark]
    public async Task<long> ParseAndPipeline() => (await Pipeline.RunAsync(_path)).Journal.Count;
}

/// <summary>The pipeline of benchmark (b), also used by the peak-memory mode.</summary>
internal static class Pipeline
{
    public static Task<BacktestResult> RunAsync(string path, int threads = 1) =>
        RunAsync(session =>
        {
            if (threads > 1)
            {
                TradePipe.Run(TradeFileReader.Open([path]), batch => session.Replay(batch.Span));
            }
            else
            {
                foreach (var trade in TradeFileReader.Open([path]))
                {
                    session.Replay(trade);
                }
            }
        });

    /// <summary>The same backtest jumping over quiet trades, read on a second thread (a catalog as its columns).</summary>
    public static Task<BacktestResult> RunIndexedAsync(string path) =>
        RunAsync(session => TradePipe.RunIndexed(TradeFileReader.Open([path]), session.Replay));

    private static async Task<BacktestResult> RunAsync(Action<BacktestSession> replay)
    {
        var filters = new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 5m };
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { filters }, Balances = { ["USDT"] = 1_000m }, StartTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 5, Budget = 1_000m, BuyDownInterval = 0.001m, ProfitInterval = 0.002m, RebuyInterval = 0.005m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bench"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync();
        replay(session);
        return session.Complete();
    }
}
