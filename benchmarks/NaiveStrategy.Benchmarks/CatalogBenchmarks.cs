using BenchmarkDotNet.Attributes;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// The same generated trades read from the CSV file (the parse every backtest pays) and from the Parquet catalog
/// imported from it (<c>catalog import</c>). "read": one operation = every trade, summing quantities so none is
/// skipped. "backtest": one operation = a skipping backtest of every trade (<see cref="TradePipe.RunIndexed"/>, the
/// reader on a second thread), which reads the catalog as columns.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CatalogBenchmarks
{
    private string _csv = "";
    private string _catalog = "";

    /// <summary>Trades in the file.</summary>
    [Params(1_000_000, 20_000_000)]
    public int Trades { get; set; }

    /// <summary>Generates the file and imports it once.</summary>
    [GlobalSetup]
    public void Setup() => (_csv, _catalog) = (BenchmarkData.File(Trades), BenchmarkData.Catalog(Trades));

    /// <summary>Parse the CSV file.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("read")]
    public decimal Csv() => Sum(_csv);

    /// <summary>Read the catalog's Parquet parts.</summary>
    [Benchmark]
    [BenchmarkCategory("read")]
    public decimal Catalog() => Sum(_catalog);

    /// <summary>Backtest from the CSV file, skipping quiet trades.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("backtest")]
    public Task<BacktestResult> BacktestCsv() => Pipeline.RunIndexedAsync(_csv);

    /// <summary>Backtest from the catalog, indexed on its columns.</summary>
    [Benchmark]
    [BenchmarkCategory("backtest")]
    public Task<BacktestResult> BacktestCatalog() => Pipeline.RunIndexedAsync(_catalog);

    private static decimal Sum(string path)
    {
        decimal volume = 0;
        foreach (var trade in TradeFileReader.Open([path]))
        {
            volume += trade.Quantity;
        }

        return volume;
    }

    /// <summary>
    /// The "columns" mode: one symbol's catalog read as raw columns, then each row group indexed on them, ROUNDS times;
    /// prints the reading and the indexing apart (the two sides of <see cref="NaiveStrategy.Backtesting.TradePipe.RunIndexed"/>).
    /// </summary>
    public static void Columns(string path, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var set = TradeFileReader.Open([path]);
            using var columns = new NaiveStrategy.Backtesting.Catalog.TradeColumns();
            using var parts = set.ReadColumns() ?? throw new ArgumentException($"{path}: not one symbol's catalog", nameof(path));
            var (read, index) = (TimeSpan.Zero, TimeSpan.Zero);
            var (rows, nodes) = (0L, 0L);
            while (true)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                if (!parts.Next(columns))
                {
                    break;
                }

                var middle = System.Diagnostics.Stopwatch.GetTimestamp();
                var built = NaiveStrategy.Backtesting.TradeIndex.Of(columns);
                index += System.Diagnostics.Stopwatch.GetElapsedTime(middle);
                read += System.Diagnostics.Stopwatch.GetElapsedTime(start, middle);
                rows += columns.Count;
                nodes += built.FindExit(0, columns.Symbol, decimal.MinValue, decimal.MaxValue, long.MaxValue);
            }

            Console.WriteLine($"columns {path}: {rows:N0} trades, read {read.TotalSeconds:F3} s, indexed {index.TotalSeconds:F3} s ({nodes:N0} scanned); allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024):F0} MiB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (process totals)");
        }
    }
}
