using System.Globalization;
using System.Text.RegularExpressions;
using NaiveStrategy.Backtesting.PublicData;
using Parquet;
using Parquet.Schema;

namespace NaiveStrategy.Backtesting.Catalog;

/// <summary>
/// A columnar store of trades, one Apache Parquet file per symbol and UTC day:
/// <c>{root}/{trades|aggTrades}/symbol={SYMBOL}/date={yyyy-MM-dd}/part-0.parquet</c> (Hive-style partitions, so
/// DuckDB, pandas and Polars read the tree as one table with <c>symbol</c> and <c>date</c> columns). Columns:
/// <c>id</c> INT64, <c>price</c> and <c>quantity</c> DECIMAL(18, s) stored as INT64 (exact scaled integers; s is 8,
/// or more for a day that needs more digits), <c>time</c> TIMESTAMP(MICROS, UTC), <c>is_buyer_maker</c> BOOLEAN.
/// </summary>
/// <remarks>
/// <see cref="ImportAsync"/> reads trade files with <see cref="TradeFileReader"/> (the same checks and messages as a
/// backtest) and writes the parts; <see cref="TradeFileReader.Open"/> given the root directory replays them (with
/// <see cref="TradeFileReaderOptions.From"/>/<see cref="TradeFileReaderOptions.To"/> choosing the days opened) as
/// the same trades, in the same order, as the files imported.
/// </remarks>
public static partial class TradeCatalog
{
    /// <summary>The extension of a catalog part.</summary>
    public const string PartExtension = ".parquet";

    /// <summary>
    /// Rows per row group written (256 Ki): one row group's columns is what a reader holds in memory, two while a backtest
    /// reads ahead (<see cref="TradePipe.RunIndexed"/>). Catalogs written with larger row groups are read as well.
    /// </summary>
    public const int RowGroupSize = 1 << 18;

    internal const string IdColumn = "id";
    internal const string PriceColumn = "price";
    internal const string QuantityColumn = "quantity";
    internal const string TimeColumn = "time";
    internal const string MakerColumn = "is_buyer_maker";
    internal const int Precision = 18;
    internal const int PreferredScale = 8;
    internal static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    private const string PartName = "part-0" + PartExtension;

    /// <summary>Whether <paramref name="directory"/> is a catalog root (holds <c>trades/symbol=…</c> or <c>aggTrades/symbol=…</c>).</summary>
    public static bool IsCatalog(string directory) =>
        KindDirectories.Any(kind => Directory.Exists(Path.Combine(directory, kind))
            && Directory.EnumerateDirectories(Path.Combine(directory, kind), "symbol=*").Any());

    /// <summary>The parts of a catalog, ordered by kind, symbol and day.</summary>
    public static IReadOnlyList<string> Parts(string directory) =>
        KindDirectories
            .Where(kind => Directory.Exists(Path.Combine(directory, kind)))
            .SelectMany(kind => Directory.EnumerateFiles(Path.Combine(directory, kind), "*" + PartExtension, SearchOption.AllDirectories))
            .Where(path => PartOf(path) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The path of a symbol's day in a catalog.</summary>
    public static string PartPath(string root, TradeFileKind kind, string symbol, DateOnly day) =>
        Path.Combine(root, KindDirectory(kind), $"symbol={symbol}", $"date={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", PartName);

    /// <summary>
    /// Converts trade files (csv or zip, trades or aggTrades, any mix of symbols) into parts under <paramref name="root"/>,
    /// replacing the days it writes. A bad line stops the import with the reader's message (nothing of that symbol is
    /// written), unless <see cref="TradeFileReaderOptions.SkipBadLines"/>. Pages are stored uncompressed unless
    /// <paramref name="compression"/> says otherwise (<see cref="TradeCatalogCompression"/>).
    /// </summary>
    /// <exception cref="TradeFileFormatException">A bad line or file, or data the catalog cannot hold exactly.</exception>
    public static async Task<TradeCatalogImport> ImportAsync(IEnumerable<string> paths, string root, TradeFileReaderOptions? options = null, TradeCatalogCompression compression = TradeCatalogCompression.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentException.ThrowIfNullOrEmpty(root);
        var writing = Writing(compression);
        options ??= new TradeFileReaderOptions();
        var set = TradeFileReader.Open(paths, options);
        var diagnostics = new TradeFileDiagnostics();
        long trades = 0;
        var parts = new List<string>();
        foreach (var files in set.BySymbol)
        {
            // First pass: check every line and find each day's scales, so nothing is written from a bad file
            // and every part has one exact scale per column.
            var days = Survey(files, options, diagnostics, cancellationToken);
            parts.AddRange(await WriteAsync(files, options, root, days, writing, cancellationToken).ConfigureAwait(false));
            trades += days.Sum(d => d.Count);
        }

        return new TradeCatalogImport(set.Files.Count, parts, trades, diagnostics.SkippedSummary, diagnostics.Messages);
    }

    // Parquet.Net's default level is its smallest size: importing 20 M trades with Zstandard took 288 s for 90 MB at
    // that level, 13 s for 108 MB at the fastest (Snappy 10 s, 250 MB; uncompressed 8 s, 643 MB).
    private static ParquetOptions Writing(TradeCatalogCompression compression) => new()
    {
        CompressionMethod = compression switch
        {
            TradeCatalogCompression.None => CompressionMethod.None,
            TradeCatalogCompression.Snappy => CompressionMethod.Snappy,
            TradeCatalogCompression.Zstd => CompressionMethod.Zstd,
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "not a catalog compression"),
        },
        CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
    };

    internal static (int PriceScale, int QuantityScale) Scales(ParquetSchema schema, string path)
    {
        int Scale(string name) =>
            schema.DataFields.FirstOrDefault(f => f.Name == name) is DecimalDataField { Precision: <= Precision } field
                ? field.Scale
                : throw new InvalidDataException($"column '{name}' is missing or not a DECIMAL of at most {Precision} digits");
        foreach (var name in new[] { IdColumn, TimeColumn, MakerColumn })
        {
            _ = schema.DataFields.FirstOrDefault(f => f.Name == name) ?? throw new InvalidDataException($"column '{name}' is missing from {path}");
        }

        return (Scale(PriceColumn), Scale(QuantityColumn));
    }

    // The smallest decimal holding the value: trailing zeros dropped, as the CSV reader drops them.
    // Zeros go eight at a time, then four, two and one (at most 7 are left after the eights): 4 steps, not up to 18.
    internal static decimal ToDecimal(long mantissa, int scale)
    {
        while (scale >= 8 && mantissa % 100_000_000 == 0)
        {
            mantissa /= 100_000_000;
            scale -= 8;
        }

        if (scale >= 4 && mantissa % 10_000 == 0)
        {
            mantissa /= 10_000;
            scale -= 4;
        }

        if (scale >= 2 && mantissa % 100 == 0)
        {
            mantissa /= 100;
            scale -= 2;
        }

        if (scale >= 1 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return new decimal((int)(uint)mantissa, (int)(uint)((ulong)mantissa >> 32), 0, false, (byte)scale);
    }

    internal static Part? PartOf(string path)
    {
        var match = PartPattern().Match(path);
        return match.Success
            ? new Part(match.Groups[1].Value == "aggTrades" ? TradeFileKind.AggTrades : TradeFileKind.Trades, match.Groups[2].Value, DateOnly.ParseExact(match.Groups[3].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture))
            : null;
    }

    private static string[] KindDirectories => ["aggTrades", "trades"];

    private static string KindDirectory(TradeFileKind kind) => kind == TradeFileKind.AggTrades ? "aggTrades" : "trades";

    private static List<Day> Survey(TradeFileReader.Source[] files, TradeFileReaderOptions options, TradeFileDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var days = new List<Day>();
        Day? current = null;
        using var sequence = new FileSequence(files, options, diagnostics);
        while (sequence.MoveNext())
        {
            var trade = sequence.Current;
            var day = DateOnly.FromDateTime(trade.Time.UtcDateTime);
            if (current is null || current.Date != day)
            {
                if (current is not null && day < current.Date)
                {
                    throw new TradeFileFormatException(files[0].Path, 0, $"{trade.Symbol}: trade {trade.TradeId.ToString(CultureInfo.InvariantCulture)} of {day:yyyy-MM-dd} comes after trades of {current.Date:yyyy-MM-dd}: the files of one symbol overlap", "files overlap");
                }

                cancellationToken.ThrowIfCancellationRequested();
                current = new Day(day);
                days.Add(current);
            }

            current.Add(trade);
        }

        foreach (var day in days)
        {
            day.ChooseScales(files[0].Symbol);
        }

        return days;
    }

    private static async Task<List<string>> WriteAsync(TradeFileReader.Source[] files, TradeFileReaderOptions options, string root, List<Day> days, ParquetOptions writing, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        var ids = new long[RowGroupSize];
        var prices = new decimal[RowGroupSize];
        var quantities = new decimal[RowGroupSize];
        var times = new DateTime[RowGroupSize];
        var makers = new bool[RowGroupSize];
        using var sequence = new FileSequence(files, options, new TradeFileDiagnostics());
        var more = sequence.MoveNext();
        foreach (var day in days)
        {
            var path = PartPath(root, files[0].Kind, files[0].Symbol, day.Date);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            var schema = new ParquetSchema(
                new DataField<long>(IdColumn),
                new DecimalDataField(PriceColumn, Precision, day.PriceScale),
                new DecimalDataField(QuantityColumn, Precision, day.QuantityScale),
                new DateTimeDataField(TimeColumn, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros),
                new DataField<bool>(MakerColumn));
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false))
            {
                await using var writer = await ParquetWriter.CreateAsync(schema, stream, writing, cancellationToken: cancellationToken).ConfigureAwait(false);
                writer.CustomMetadata = new Dictionary<string, string> { ["naivestrategy.kind"] = KindDirectory(files[0].Kind), ["naivestrategy.symbol"] = files[0].Symbol };
                long left = day.Count;
                while (left > 0)
                {
                    var n = 0;
                    while (n < RowGroupSize && left > 0 && more)
                    {
                        var trade = sequence.Current;
                        ids[n] = trade.TradeId;
                        prices[n] = trade.Price;
                        quantities[n] = trade.Quantity;
                        times[n] = trade.Time.UtcDateTime;
                        makers[n] = trade.IsBuyerMaker;
                        n++;
                        left--;
                        more = sequence.MoveNext();
                    }

                    if (n == 0)
                    {
                        throw new TradeFileFormatException(files[0].Path, 0, $"{files[0].Symbol}: the files changed while they were imported", "files changed");
                    }

                    using var group = writer.CreateRowGroup();
                    await group.WriteAsync<long>(schema.DataFields[0], ids.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await group.WriteAsync<decimal>(schema.DataFields[1], prices.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await group.WriteAsync<decimal>(schema.DataFields[2], quantities.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await group.WriteAsync<DateTime>(schema.DataFields[3], times.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await group.WriteAsync<bool>(schema.DataFields[4], makers.AsMemory(0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temporary, path, overwrite: true);
            written.Add(path);
        }

        return written;
    }

    [GeneratedRegex(@"(?:^|[/\\])(trades|aggTrades)[/\\]symbol=([A-Z0-9]+)[/\\]date=(\d{4}-\d{2}-\d{2})[/\\][^/\\]+\.parquet$")]
    private static partial Regex PartPattern();

    internal sealed record Part(TradeFileKind Kind, string Symbol, DateOnly Day);

    // One day of one symbol: how many trades, and the digits its prices and quantities need.
    private sealed class Day(DateOnly date)
    {
        public DateOnly Date { get; } = date;

        public long Count { get; private set; }

        public int PriceScale { get; private set; }

        public int QuantityScale { get; private set; }

        private int _priceScaleNeeded;
        private int _quantityScaleNeeded;
        private decimal _maxPrice;
        private decimal _maxQuantity;

        public void Add(TradeEvent trade)
        {
            Count++;
            _priceScaleNeeded = Math.Max(_priceScaleNeeded, trade.Price.Scale);
            _quantityScaleNeeded = Math.Max(_quantityScaleNeeded, trade.Quantity.Scale);
            _maxPrice = Math.Max(_maxPrice, trade.Price);
            _maxQuantity = Math.Max(_maxQuantity, trade.Quantity);
        }

        public void ChooseScales(string symbol)
        {
            PriceScale = Scale(symbol, "price", _priceScaleNeeded, _maxPrice);
            QuantityScale = Scale(symbol, "quantity", _quantityScaleNeeded, _maxQuantity);
        }

        // 8 decimals (Binance's) unless the day needs more; fewer only when the day's largest value needs the digits.
        private int Scale(string symbol, string column, int needed, decimal max)
        {
            for (var scale = Math.Max(needed, PreferredScale); scale >= needed; scale--)
            {
                if (scale <= Precision && max < Pow10(Precision - scale))
                {
                    return scale;
                }
            }

            throw new TradeFileFormatException(symbol, 0, string.Create(CultureInfo.InvariantCulture, $"{symbol} {Date:yyyy-MM-dd}: {column} {max} with {needed} decimals needs more than the catalog's {Precision} digits"), "too many digits");
        }

        private static decimal Pow10(int exponent)
        {
            var value = 1m;
            for (var i = 0; i < exponent; i++)
            {
                value *= 10;
            }

            return value;
        }
    }
}

/// <summary>What <see cref="TradeCatalog.ImportAsync"/> did.</summary>
/// <param name="FilesRead">Trade files read.</param>
/// <param name="Parts">Catalog parts written (one per symbol and day).</param>
/// <param name="Trades">Trades written.</param>
/// <param name="SkippedSummary">Bad lines skipped by reason (with <see cref="TradeFileReaderOptions.SkipBadLines"/>), or null.</param>
/// <param name="SkippedMessages">The first skipped lines' messages.</param>
public sealed record TradeCatalogImport(int FilesRead, IReadOnlyList<string> Parts, long Trades, string? SkippedSummary, IReadOnlyList<string> SkippedMessages);
