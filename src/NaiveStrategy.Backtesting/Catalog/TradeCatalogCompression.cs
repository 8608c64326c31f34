namespace NaiveStrategy.Backtesting.Catalog;

/// <summary>
/// How <see cref="TradeCatalog.ImportAsync"/> compresses a catalog's pages. Any reader of Parquet reads all three;
/// the choice trades disk for replay speed (measured in BENCHMARKS.md, 20 M trades: uncompressed 643 MB read at about
/// twice the rate of Snappy's 250 MB; Zstandard 108 MB, the slowest to read).
/// </summary>
public enum TradeCatalogCompression
{
    /// <summary>Pages stored as they are: the fastest replay, about half the size of the CSV files.</summary>
    None,

    /// <summary>Snappy, Parquet's usual codec: 2.6 times smaller than <see cref="None"/>, about half its replay rate.</summary>
    Snappy,

    /// <summary>Zstandard at its fastest level: the smallest files, the slowest replay.</summary>
    Zstd,
}
