using NaiveStrategy.Binance;
using NaiveStrategy.Testing;
using Microsoft.Data.Sqlite;

namespace NaiveStrategy.Sqlite.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SymbolFilters Filters(string symbol = "XRPUSDT", decimal minNotional = 1m) =>
        SymbolFilterPresets.XrpUsdt with { Symbol = symbol, BaseAsset = symbol[..^4], MinNotional = minNotional };

    public static SymbolSettings Settings(string symbol = "XRPUSDT", int chunks = 3, decimal rebuy = 0.02m, decimal profit = 0.001m) => new()
    {
        Symbol = symbol,
        Chunks = chunks,
        Budget = 100.50m,
        BuyDownInterval = 0.0100m,
        ProfitInterval = profit,
        RebuyInterval = rebuy,
        FeeRate = 0.00075m,
        Status = SymbolStatus.On,
    };

    /// <summary>A trader with every field set: a filled buy with commission and an open sell.</summary>
    public static TraderSnapshot Selling(string id = "a-1", string symbol = "XRPUSDT") => TraderSnapshot.Of(TraderState.Fresh(id, Settings(symbol), Filters(symbol)) with
    {
        BuyOrder = new TrackedOrder($"{id}-b", OrderSide.Buy, 0.43070000m, 77m)
        {
            OrderId = 1234567890123,
            Status = OrderStatus.Filled,
            ExecutedQuantity = 77.000m,
            Commission = 0.077m,
            CommissionAsset = "XRP",
        },
        SellOrder = new TrackedOrder($"{id}-s", OrderSide.Sell, 0.4320m, 76m) { Status = OrderStatus.PendingNew },
        RebuyPrice = 0.42208600m,
        RebuyNotified = true,
    });

    /// <summary>A trader waiting for its buy.</summary>
    public static TraderSnapshot Buying(string id = "a-2", string symbol = "XRPUSDT") => TraderSnapshot.Of(TraderState.Fresh(id, Settings(symbol), Filters(symbol)) with
    {
        BuyOrder = new TrackedOrder($"{id}-b", OrderSide.Buy, 0.4200m, 79m) { OrderId = 7, Status = OrderStatus.PartiallyFilled, ExecutedQuantity = 3m },
        RebuyPrice = 0.4116m,
    });

    /// <summary>A trader with no order yet.</summary>
    public static TraderSnapshot Fresh(string id) => TraderSnapshot.Of(TraderState.Fresh(id, Settings(), Filters()));

    public static SymbolSnapshot Leader(params TraderSnapshot[] traders) => Leader("XRPUSDT", SymbolStatus.On, traders);

    public static SymbolSnapshot Leader(string symbol, SymbolStatus status, params TraderSnapshot[] traders) =>
        new() { Settings = Settings(symbol), Status = status, Filters = Filters(symbol), Traders = [.. traders] };

    public static OrderIntent Intent(string clientOrderId = "a-1-b", decimal price = 0.43070000m, string symbol = "XRPUSDT") =>
        new(symbol, clientOrderId[..^2], new OrderRequest(symbol, clientOrderId, OrderSide.Buy, price, 77m), T0.AddMilliseconds(1234.5678));

    public static OrderUpdate Update(string clientOrderId = "a-1-b", OrderStatus status = OrderStatus.Filled, string? asset = "XRP") =>
        new("XRPUSDT", clientOrderId, 42, OrderSide.Buy, 0.43070000m, 77m, 77.0m, status, 0.0770m, asset, new DateTimeOffset(2024, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)));

    /// <summary>Runs SQL on a file directly, with no store in the way.</summary>
    public static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of every row of a query on a file.</summary>
    public static IReadOnlyList<object> Query(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }
}

/// <summary>A directory of its own under the system temp directory, deleted with everything in it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "naive-sqlite-tests", Guid.NewGuid().ToString("N"));

    public string File(string name = "state.db") => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
