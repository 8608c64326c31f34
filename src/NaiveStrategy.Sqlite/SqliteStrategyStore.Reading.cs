using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NaiveStrategy.Sqlite;

// Reading the file: the status, the journals, and the parsing of saved values (each problem naming its row).
public sealed partial class SqliteStrategyStore
{
    /// <summary>Everything saved, for a <c>status</c> command: symbols, their traders, and open orders.</summary>
    /// <exception cref="StrategyStoreException">A saved row cannot be read.</exception>
    public StoreStatus ReadStatus() => new(Path, SchemaVersion, ReadSymbols());

    /// <summary>The intent journal, oldest first: every order the engine decided to send.</summary>
    /// <param name="symbol">Only this symbol's; every symbol's when null.</param>
    /// <exception cref="StrategyStoreException">A row cannot be read.</exception>
    public IReadOnlyList<OrderIntent> ReadIntents(string? symbol = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return QueryIntents("$p IS NULL OR symbol = $p", symbol);
        }
    }

    /// <summary>The order update journal, oldest first: every fill, cancel, rejection the engine received.</summary>
    /// <param name="symbol">Only this symbol's; every symbol's when null.</param>
    /// <exception cref="StrategyStoreException">A row cannot be read.</exception>
    public IReadOnlyList<OrderUpdate> ReadOrderUpdates(string? symbol = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText =
                """
                SELECT id, symbol, client_order_id, order_id, side, price, quantity, status, executed_qty, commission, commission_asset, time, source, reordered
                FROM order_updates WHERE $p IS NULL OR symbol = $p ORDER BY id;
                """;
            command.Parameters.AddWithValue("$p", (object?)symbol ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var updates = new List<OrderUpdate>();
            while (reader.Read())
            {
                var where = "order_updates row " + reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
                updates.Add(new OrderUpdate(
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetInt64(3),
                    ParseEnum<OrderSide>(reader.GetString(4), where),
                    ParseDecimal(reader.GetString(5), where),
                    ParseDecimal(reader.GetString(6), where),
                    ParseDecimal(reader.GetString(8), where),
                    ParseEnum<OrderStatus>(reader.GetString(7), where),
                    ParseDecimal(reader.GetString(9), where),
                    reader.IsDBNull(10) ? null : reader.GetString(10),
                    ParseTime(reader.GetString(11), where))
                {
                    Source = ParseEnum<OrderUpdateSource>(reader.GetString(12), where),
                    Reordered = reader.GetInt64(13) != 0,
                });
            }

            return updates;
        }
    }

    private List<SymbolStatusEntry> ReadSymbols()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // One read transaction: a consistent snapshot even if another process writes meanwhile.
            using var snapshot = _connection.BeginTransaction(deferred: true);
            var traders = new Dictionary<string, List<TraderStatusEntry>>(StringComparer.Ordinal);
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = snapshot;
                command.CommandText = "SELECT symbol, trader_id, state, updated_at FROM traders ORDER BY symbol, position;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var where = $"trader {reader.GetString(1)} of {reader.GetString(0)}";
                    var state = Deserialize(reader.GetString(2), StoreJson.Default.TraderSnapshot, where, "TraderState");
                    var list = traders.TryGetValue(reader.GetString(0), out var l) ? l : traders[reader.GetString(0)] = [];
                    list.Add(new TraderStatusEntry(state, ParseTime(reader.GetString(3), where)));
                }
            }

            var symbols = new List<SymbolStatusEntry>();
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = snapshot;
                command.CommandText = "SELECT symbol, settings, status, updated_at, next_trader, dust, realized_pnl, guard FROM symbols ORDER BY symbol;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var symbol = reader.GetString(0);
                    var where = $"symbol {symbol}";
                    var settings = Deserialize(reader.GetString(1), StoreJson.Default.SymbolSettings, where);
                    var status = ParseEnum<SymbolStatus>(reader.GetString(2), where);
                    symbols.Add(new SymbolStatusEntry(settings, status, ParseTime(reader.GetString(3), where), traders.GetValueOrDefault(symbol) ?? [])
                    {
                        NextTraderNumber = reader.GetInt64(4),
                        Dust = ParseDecimal(reader.GetString(5), where),
                        RealizedPnl = ParseDecimal(reader.GetString(6), where),
                        Guard = reader.IsDBNull(7) ? null : Deserialize(reader.GetString(7), StoreJson.Default.GuardSnapshot, where, "GuardState"),
                    });
                }
            }

            return symbols;
        }
    }

    private List<OrderIntent> QueryIntents(string where, string? value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT id, symbol, trader_id, client_order_id, side, price, quantity, time FROM intents WHERE {where} ORDER BY id;";
        command.Parameters.AddWithValue("$p", (object?)value ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var intents = new List<OrderIntent>();
        while (reader.Read())
        {
            var row = "intents row " + reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            var symbol = reader.GetString(1);
            var price = ParseDecimal(reader.GetString(5), row);

            // A MARKET order (a guard's exit) is the one recorded without a price: no LIMIT order has price 0. Read back
            // as it was sent, so recording it again before a resend is the same intent, not a refusal.
            var request = new OrderRequest(
                symbol,
                reader.GetString(3),
                ParseEnum<OrderSide>(reader.GetString(4), row),
                price,
                ParseDecimal(reader.GetString(6), row)) { Type = price == 0 ? OrderType.Market : OrderType.Limit };
            intents.Add(new OrderIntent(symbol, reader.GetString(2), request, ParseTime(reader.GetString(7), row)));
        }

        return intents;
    }

    // what: the record the row holds, as the messages name it (a trader's snapshot is its TraderState, as before snapshots had a name).
    private T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string where, string? what = null)
    {
        what ??= typeof(T).Name;
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw Problem($"has an empty {what} for {where}.");
        }
        catch (JsonException ex)
        {
            throw Problem($"has an unreadable {what} for {where} ({ex.Message}).", ex);
        }
    }

    private decimal ParseDecimal(string text, string where) =>
        SqliteValues.TryParseDecimal(text, out var value) ? value : throw Problem($"has '{text}' where a decimal was expected ({where}).");

    private DateTimeOffset ParseTime(string text, string where) =>
        SqliteValues.TryParseTime(text, out var value) ? value : throw Problem($"has '{text}' where an ISO-8601 time was expected ({where}).");

    private T ParseEnum<T>(string text, string where)
        where T : struct, Enum =>
        SqliteValues.TryParseEnum<T>(text, out var value) ? value : throw Problem($"has '{text}' where a {typeof(T).Name} was expected ({where}).");
}
