using System.Globalization;
using System.IO.Compression;
using DuckDB.NET.Data;
using NaiveStrategy.Backtesting.Catalog;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.Catalog;

public sealed class TradeCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Catalog => Path.Combine(_dir, "catalog");

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Generate(string name, long count, bool? microseconds = null, DateTimeOffset? start = null)
    {
        var path = Path.Combine(_dir, name);
        using var writer = new StreamWriter(path);
        TradeFileGenerator.Write(writer, new TradeFileGeneratorOptions { Count = count, Seed = 7, Microseconds = microseconds, Start = start ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        return path;
    }

    // Compares every field, the decimals by their text (scale included): a catalog replay must be the same trades to the byte.
    private static List<string> Text(IEnumerable<TradeEvent> trades) =>
        [.. trades.Select(t => FormattableString.Invariant($"{t.Symbol} {t.TradeId} {t.Price} {t.Quantity} {t.Time.UtcTicks} {t.IsBuyerMaker}"))];

    [Fact]
    public async Task ImportAsync_GeneratedDays_ReplaysTheSameTradesInOrder()
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 3000, start: new DateTimeOffset(2024, 1, 1, 23, 55, 0, TimeSpan.Zero));

        var import = await TradeCatalog.ImportAsync([file], Catalog);

        import.Trades.Should().Be(3000);
        import.Parts.Select(p => Path.GetRelativePath(Catalog, p).Replace('\\', '/')).Should().Equal(
            "trades/symbol=XRPUSDT/date=2024-01-01/part-0.parquet", "trades/symbol=XRPUSDT/date=2024-01-02/part-0.parquet");
        Text(TradeFileReader.Open([Catalog])).Should().Equal(Text(TradeFileReader.Open([file])));
    }

    [Fact]
    public async Task ImportAsync_MixedZipAndCsvSymbolsAndMicroseconds_ReplaysTheSameMergedTrades()
    {
        var xrp = Generate("XRPUSDT-trades-2025-01-01.csv", 500, microseconds: true, start: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var btc = Generate("BTCUSDT-trades-2025-01-01.csv", 400, microseconds: true, start: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var zip = Path.Combine(_dir, "BTCUSDT-trades-2025-01-01.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(btc, "BTCUSDT-trades-2025-01-01.csv");
        }

        File.Delete(btc);
        await TradeCatalog.ImportAsync([xrp, zip], Catalog);

        Text(TradeFileReader.Open([Catalog])).Should().Equal(Text(TradeFileReader.Open([xrp, zip])));
        TradeFileReader.Open([Catalog]).Symbols.Should().Equal("BTCUSDT", "XRPUSDT");
    }

    [Fact]
    public async Task Open_CatalogWithFromTo_OpensOnlyThoseDays()
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 3000, start: new DateTimeOffset(2024, 1, 1, 23, 55, 0, TimeSpan.Zero));
        await TradeCatalog.ImportAsync([file], Catalog);
        var day1 = TradeCatalog.PartPath(Catalog, TradeFileKind.Trades, "XRPUSDT", new DateOnly(2024, 1, 1));
        File.WriteAllText(day1, "not parquet"); // a day outside the range must not be opened at all

        var options = new TradeFileReaderOptions { From = new DateOnly(2024, 1, 2), To = new DateOnly(2024, 1, 2) };
        var days = TradeFileReader.Open([Catalog], options).ToList();

        days.Should().NotBeEmpty().And.OnlyContain(t => t.Time.UtcDateTime.Date == new DateTime(2024, 1, 2));
        Text(days).Should().Equal(Text(TradeFileReader.Open([file]).Where(t => t.Time.UtcDateTime.Date == new DateTime(2024, 1, 2))));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task RunIndexed_OneSymbolsCatalog_IndexesOnItsColumnsTheTradesTheReaderGives(bool sequential, bool range)
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 3000, start: new DateTimeOffset(2024, 1, 1, 23, 55, 0, TimeSpan.Zero));
        await TradeCatalog.ImportAsync([file], Catalog);
        var options = range ? new TradeFileReaderOptions { From = new DateOnly(2024, 1, 2) } : null;
        var set = TradeFileReader.Open([Catalog], options);
        var indexes = new List<TradeEvent[]>();

        var handled = TradePipe.RunIndexed(set, index => indexes.Add(index.Trades.ToArray()), sequential: sequential);

        var expected = Text(TradeFileReader.Open([Catalog], options));
        expected.Should().HaveCount(range ? 1432 : 3000);
        Text(indexes.SelectMany(i => i)).Should().Equal(expected);
        handled.Should().Be(expected.Count);
        indexes.Should().HaveCount(range ? 1 : 2, "one index per row group, here one per day");
        set.Diagnostics.BytesRead.Should().BePositive();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunIndexed_DamagedSecondDay_FirstDayHandledThenErrorNamesThePart(bool sequential)
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 3000, start: new DateTimeOffset(2024, 1, 1, 23, 55, 0, TimeSpan.Zero));
        var parts = (await TradeCatalog.ImportAsync([file], Catalog)).Parts;
        File.WriteAllText(parts[1], "not parquet");
        long seen = 0;

        var act = () => TradePipe.RunIndexed(TradeFileReader.Open([Catalog]), index => seen += index.Count, sequential: sequential);

        act.Should().Throw<TradeFileFormatException>().Which.Message.Should().Contain("part-0.parquet").And.Contain("not a trade catalog part");
        seen.Should().Be(TradeFileReader.Open([file]).Count(t => t.Time.Day == 1));
    }

    [Fact]
    public async Task Open_DamagedPart_ErrorNamesThePart()
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 100);
        var part = (await TradeCatalog.ImportAsync([file], Catalog)).Parts[0];
        File.WriteAllText(part, "not parquet");

        var act = () => TradeFileReader.Open([Catalog]).ToList();

        act.Should().Throw<TradeFileFormatException>().Which.Message.Should().Contain("part-0.parquet").And.Contain("not a trade catalog part");
    }

    [Theory]
    [InlineData("1,0.5,10,5,1704067200000,True,True\n2,abc,10,5,1704067200001,True,True\n")]
    [InlineData("1,0.5,10,5,1704067200000,True,True\n1,0.5,10,5,1704067200001,True,True\n")]
    [InlineData("1,0.5,10,5,1704067200001,True,True\n2,0.5,10,5,1704067200000,True,True\n")]
    [InlineData("1,0.5,-10,5,1704067200000,True,True\n")]
    [InlineData("")]
    public async Task ImportAsync_BadLine_RefusedWithTheReadersMessageAndNothingWritten(string content)
    {
        var file = Write("XRPUSDT-trades-2024-01-01.csv", content);
        var reader = () => TradeFileReader.Open([file]).ToList();
        var expected = reader.Should().Throw<TradeFileFormatException>().Which.Message;

        var import = () => TradeCatalog.ImportAsync([file], Catalog);

        (await import.Should().ThrowAsync<TradeFileFormatException>()).Which.Message.Should().Be(expected);
        Directory.Exists(Catalog).Should().BeFalse();
    }

    [Fact]
    public async Task ImportAsync_SkipBadLines_SkipsAsTheReaderDoes()
    {
        var file = Write("XRPUSDT-trades-2024-01-01.csv", "1,0.5,10,5,1704067200000,True,True\n2,abc,10,5,1704067200001,True,True\n3,0.6,10,6,1704067200002,False,True\n");
        var options = new TradeFileReaderOptions { SkipBadLines = true };

        var import = await TradeCatalog.ImportAsync([file], Catalog, options);

        import.SkippedSummary.Should().Be("skipped lines: 1 (price not a decimal 1)");
        Text(TradeFileReader.Open([Catalog])).Should().Equal(Text(TradeFileReader.Open([file], options)));
    }

    [Fact]
    public async Task ImportAsync_OverlappingFilesOfOneSymbol_Refused()
    {
        var first = Generate("XRPUSDT-trades-2024-01-02.csv", 10, start: new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var second = Generate("XRPUSDT-trades-2024-01-03.csv", 10, start: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var import = () => TradeCatalog.ImportAsync([first, second], Catalog);

        (await import.Should().ThrowAsync<TradeFileFormatException>()).Which.Message.Should().Contain("overlap");
    }

    [Fact]
    public async Task ImportAsync_AmountsBeyondEighteenDigits_RefusedNamingTheDay()
    {
        var file = Write("XRPUSDT-trades-2024-01-01.csv", "1,0.5,10,5,1704067200000,True,True\n2,12345678901234.123456,10,5,1704067200001,True,True\n");

        var import = () => TradeCatalog.ImportAsync([file], Catalog);

        (await import.Should().ThrowAsync<TradeFileFormatException>()).Which.Message.Should().Contain("XRPUSDT 2024-01-01: price 12345678901234.123456 with 6 decimals needs more than the catalog's 18 digits");
    }

    [Fact]
    public async Task ImportAsync_AggTrades_KeptAsTheirOwnKind()
    {
        var file = Write("XRPUSDT-aggTrades-2025-01-01.csv", "1,0.5,10,100,102,1735689600000001,True,True\n2,0.6,3,103,103,1735689600000002,False,True\n");

        await TradeCatalog.ImportAsync([file], Catalog);

        var set = TradeFileReader.Open([Catalog]);
        set.Kinds.Should().Equal(TradeFileKind.AggTrades);
        Text(set).Should().Equal(Text(TradeFileReader.Open([file])));
        File.Exists(TradeCatalog.PartPath(Catalog, TradeFileKind.AggTrades, "XRPUSDT", new DateOnly(2025, 1, 1))).Should().BeTrue();
    }

    [Fact]
    public async Task ImportAsync_MillionTrades_AnIndependentParquetReaderAgrees()
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 1_000_000);
        var source = TradeFileReader.Open([file]).ToList();

        var import = await TradeCatalog.ImportAsync([file], Catalog);

        // ParquetSharp wraps Apache Arrow's C++ Parquet implementation: nothing of our reader is involved.
        long rows = 0;
        long? firstId = null;
        long lastId = 0;
        var quantity = 0m;
        var lastTime = DateTime.MinValue;
        foreach (var part in TradeCatalog.Parts(Catalog))
        {
            using var reader = new ParquetSharp.ParquetFileReader(part);
            for (var g = 0; g < reader.FileMetaData.NumRowGroups; g++)
            {
                using var group = reader.RowGroup(g);
                var n = checked((int)group.MetaData.NumRows);
                var ids = group.Column(0).LogicalReader<long>().ReadAll(n);
                var quantities = group.Column(2).LogicalReader<decimal>().ReadAll(n);
                var times = group.Column(3).LogicalReader<DateTime>().ReadAll(n);
                rows += n;
                firstId ??= ids[0];
                lastId = ids[^1];
                quantity += quantities.Sum();
                lastTime = times[^1];
            }
        }

        import.Trades.Should().Be(1_000_000);
        rows.Should().Be(source.Count);
        firstId.Should().Be(source[0].TradeId);
        lastId.Should().Be(source[^1].TradeId);
        quantity.Should().Be(source.Sum(t => t.Quantity));
        lastTime.Should().Be(source[^1].Time.UtcDateTime);
    }

    [Theory]
    [InlineData(TradeCatalogCompression.None, ParquetSharp.Compression.Uncompressed)]
    [InlineData(TradeCatalogCompression.Snappy, ParquetSharp.Compression.Snappy)]
    [InlineData(TradeCatalogCompression.Zstd, ParquetSharp.Compression.Zstd)]
    public async Task ImportAsync_Compression_WrittenWithThatCodecAndReplaysTheSameTrades(TradeCatalogCompression compression, ParquetSharp.Compression codec)
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 5000, start: new DateTimeOffset(2024, 1, 1, 23, 59, 0, TimeSpan.Zero));

        var import = await TradeCatalog.ImportAsync([file], Catalog, compression: compression);

        import.Parts.Should().HaveCount(2);
        foreach (var part in import.Parts)
        {
            using var reader = new ParquetSharp.ParquetFileReader(part);
            using var group = reader.RowGroup(0);
            Enumerable.Range(0, 5).Select(c => group.MetaData.GetColumnChunkMetaData(c).Compression).Should().AllBeEquivalentTo(codec);
        }

        Text(TradeFileReader.Open([Catalog])).Should().Equal(Text(TradeFileReader.Open([file])));
    }

    [Fact]
    public async Task ImportAsync_UnknownCompression_Refused()
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 10);

        var import = () => TradeCatalog.ImportAsync([file], Catalog, compression: (TradeCatalogCompression)7);

        await import.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("compression");
    }

    // The query docs/backtesting.md shows, run by DuckDB itself (its own Parquet reader, no extension installed): the
    // catalog is read as it is, partitions and exact decimals included.
    [Theory]
    [InlineData(TradeCatalogCompression.None)]
    [InlineData(TradeCatalogCompression.Snappy)]
    public async Task ImportAsync_DuckDbRunsTheDocumentedQuery_AgreesWithTheFilesDayByDay(TradeCatalogCompression compression)
    {
        var file = Generate("XRPUSDT-trades-2024-01-01.csv", 3000, start: new DateTimeOffset(2024, 1, 1, 23, 57, 0, TimeSpan.Zero));
        await TradeCatalog.ImportAsync([file], Catalog, compression: compression);
        var expected = TradeFileReader.Open([file])
            .GroupBy(t => DateOnly.FromDateTime(t.Time.UtcDateTime))
            .Select(g => FormattableString.Invariant($"XRPUSDT {g.Key:yyyy-MM-dd} {g.Count()} {Normal(g.Sum(t => t.Quantity))} {Normal(g.Min(t => t.Price))} {Normal(g.Max(t => t.Price))}"))
            .ToList();

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SET autoinstall_known_extensions = false;
            SELECT symbol, date, count(*) AS trades, sum(quantity) AS volume, min(price), max(price)
            FROM read_parquet('{Catalog.Replace('\\', '/')}/trades/*/*/*.parquet', hive_partitioning = true)
            GROUP BY ALL ORDER BY ALL;
            """;
        var rows = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var day = reader.GetValue(1) is DateOnly d ? d : DateOnly.FromDateTime(Convert.ToDateTime(reader.GetValue(1), CultureInfo.InvariantCulture));
                rows.Add(FormattableString.Invariant($"{reader.GetString(0)} {day:yyyy-MM-dd} {reader.GetInt64(2)} {Normal(reader.GetDecimal(3))} {Normal(reader.GetDecimal(4))} {Normal(reader.GetDecimal(5))}"));
            }
        }

        expected.Should().HaveCount(2, "the trades cross midnight");
        rows.Should().Equal(expected);
    }

    // DuckDB's DECIMAL(18, 8) keeps its trailing zeros: values are compared, not their scales.
    private static decimal Normal(decimal value) => value / 1.000000000000000000000000000000000m;
}
