using System.Globalization;
using DuckDB.NET.Data;
using NaiveStrategy.Backtesting.Catalog;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.Catalog;

// The query docs/backtesting.md shows, run by DuckDB itself (its own Parquet reader, no extension installed): the
// catalog is read as it is, partitions and exact decimals included.
public sealed class DuckDbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-duckdb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(TradeCatalogCompression.None)]
    [InlineData(TradeCatalogCompression.Snappy)]
    public async Task ReadParquet_DocumentedQuery_AgreesWithTheFilesDayByDay(TradeCatalogCompression compression)
    {
        var file = Path.Combine(_dir, "XRPUSDT-trades-2024-01-01.csv");
        await using (var writer = new StreamWriter(file))
        {
            TradeFileGenerator.Write(writer, new TradeFileGeneratorOptions { Count = 3000, Seed = 11, Start = new DateTimeOffset(2024, 1, 1, 23, 57, 0, TimeSpan.Zero) });
        }

        var catalog = Path.Combine(_dir, "catalog");
        await TradeCatalog.ImportAsync([file], catalog, compression: compression);
        var expected = TradeFileReader.Open([file])
            .GroupBy(t => DateOnly.FromDateTime(t.Time.UtcDateTime))
            .Select(g => $"XRPUSDT {g.Key:yyyy-MM-dd} {g.Count()} {g.Sum(t => t.Quantity)} {g.Min(t => t.Price)} {g.Max(t => t.Price)}")
            .ToList();

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SET autoinstall_known_extensions = false;
            SELECT symbol, date, count(*) AS trades, sum(quantity) AS volume, min(price), max(price)
            FROM read_parquet('{catalog.Replace('\\', '/')}/trades/*/*/*.parquet', hive_partitioning = true)
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
        rows.Should().Equal(expected.Select(e => string.Join(' ', e.Split(' ').Select((w, i) => i >= 3 ? Normal(decimal.Parse(w, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) : w))));
    }

    // DuckDB's DECIMAL(18, 8) keeps its trailing zeros; the values are compared, not their scales.
    private static decimal Normal(decimal value) => value / 1.000000000000000000000000000000000m;
}
