using BenchmarkDotNet.Attributes;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// The same generated trades read from the CSV file (the parse every backtest pays) and from the Parquet catalog
/// imported from it (<c>catalog import</c>). One operation = every trade, summing quantities so none is skipped.
/// </summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    private string _csv = "";
    private string _catalog = "";

    /// <summary>Trades in the file.</summary>
    [Params(1_000_000, 5_000_000)]
    public int Trades { get; set; }

    /// <summary>Generates the file and imports it once.</summary>
    [GlobalSetup]
    public void Setup() => (_csv, _catalog) = (BenchmarkData.File(Trades), BenchmarkData.Catalog(Trades));

    /// <summary>Parse the CSV file.</summary>
    [Benchmark(Baseline = true)]
    public decimal Csv() => Sum(_csv);

    /// <summary>Read the catalog's Parquet parts.</summary>
    [Benchmark]
    public decimal Catalog() => Sum(_catalog);

    private static decimal Sum(string path)
    {
        decimal volume = 0;
        foreach (var trade in TradeFileReader.Open([path]))
        {
            volume += trade.Quantity;
        }

        return volume;
    }
}
