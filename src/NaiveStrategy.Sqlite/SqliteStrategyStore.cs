using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NaiveStrategy.Sqlite;

/// <summary>
/// An <see cref="IStrategyStore"/> in one SQLite file: symbols' settings, status, dust and realized PnL,
/// running traders' states, and append-only journals of order intents and order updates. Every write is committed with
/// write-ahead logging and <c>synchronous=FULL</c>, so it is on disk when the method returns.
/// One connection is shared; calls from several symbols' loops are serialized by a lock.
/// One process at a time writes a file: it holds the lock file <c>state.db.lock</c> (an OS lock, released
/// when the process dies) and records itself in <c>state.db.owner</c>; a second writer is refused with
/// "state file X is in use by process PID (since …)". <see cref="OpenReadOnly"/> reads while another writes.
/// Opening checks the file (integrity, that it is a NaiveStrategy store, its schema version, that it
/// can be written, that a write-ahead log left beside it is its own), backs it up before migrating it,
/// and never resets or overwrites it: any problem is a <see cref="StrategyStoreException"/> naming the file.
/// </summary>
public sealed partial class SqliteStrategyStore : IStrategyStore, IDisposable
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly SqliteConnection _connection;
    private readonly StoreLock? _lock;
    private readonly StoreSnapshot? _snapshot;
    private readonly SqliteCommand _upsertSymbol;
    private readonly SqliteCommand _upsertTrader;
    private readonly SqliteCommand _deleteGoneTraders;
    private readonly SqliteCommand _insertIntent;
    private readonly SqliteCommand _insertUpdate;
    private bool _disposed;

    /// <summary>
    /// Opens the store at <paramref name="path"/> for writing, creating it when no file is there, and
    /// migrating it (after a backup beside it) when it was written by an older version. Holds the
    /// file's lock until disposed, so no other process (and no other store in this one) writes it.
    /// </summary>
    /// <param name="path">The database file, e.g. <c>state.db</c>. Its directory is created if needed.</param>
    /// <param name="timeProvider">Clock for <c>updated_at</c> columns and backup names; the system clock when null.</param>
    /// <param name="logger">Where creation, opening and migrations are logged; nowhere when null.</param>
    /// <exception cref="StrategyStoreException">
    /// Another process uses the file; it is corrupt, is not a NaiveStrategy store, was written by a
    /// newer version, is read-only, has a write-ahead log that is not its own, or cannot be created,
    /// backed up or migrated. The file is left as it was.
    /// </exception>
    public SqliteStrategyStore(string path, TimeProvider? timeProvider = null, ILogger<SqliteStrategyStore>? logger = null)
        : this(path, timeProvider ?? TimeProvider.System, Migration.All, logger)
    {
    }

    internal SqliteStrategyStore(string path, TimeProvider timeProvider, IReadOnlyList<Migration> migrations, ILogger? logger = null)
        : this(path, timeProvider, migrations, logger, readOnly: false)
    {
    }

    private SqliteStrategyStore(string path, TimeProvider timeProvider, IReadOnlyList<Migration> migrations, ILogger? logger, bool readOnly)
    {
        _logger = logger ?? NullLogger.Instance;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _migrations = [.. migrations.OrderBy(m => m.Version)];
        SchemaVersion = _migrations[^1].Version;
        IsReadOnly = readOnly;
        if (readOnly)
        {
            (_connection, _lock, _snapshot) = OpenForReading();
        }
        else
        {
            (_connection, _lock) = OpenForWriting();
        }

        _upsertSymbol = Command(
            """
            INSERT INTO symbols (symbol, settings, status, updated_at, next_trader, dust, realized_pnl, guard)
            VALUES ($symbol, $settings, $status, $now, $next, coalesce($dust, '0'), coalesce($pnl, '0'), $guard)
            ON CONFLICT (symbol) DO UPDATE SET settings = excluded.settings, status = excluded.status, updated_at = excluded.updated_at,
                next_trader = max(symbols.next_trader, excluded.next_trader),
                dust = coalesce($dust, symbols.dust), realized_pnl = coalesce($pnl, symbols.realized_pnl), guard = coalesce($guard, symbols.guard);
            """,
            "$symbol",
            "$settings",
            "$status",
            "$now",
            "$next",
            "$dust",
            "$pnl",
            "$guard");
        _upsertTrader = Command(
            """
            INSERT INTO traders (trader_id, symbol, position, state, updated_at) VALUES ($id, $symbol, $position, $state, $now)
            ON CONFLICT (trader_id) DO UPDATE SET symbol = excluded.symbol, position = excluded.position, state = excluded.state, updated_at = excluded.updated_at
            WHERE traders.state IS NOT excluded.state OR traders.position IS NOT excluded.position OR traders.symbol IS NOT excluded.symbol;
            """,
            "$id",
            "$symbol",
            "$position",
            "$state",
            "$now");
        _deleteGoneTraders = Command(
            "DELETE FROM traders WHERE symbol = $symbol AND trader_id NOT IN (SELECT value FROM json_each($ids));",
            "$symbol",
            "$ids");
        _insertIntent = Command(
            """
            INSERT INTO intents (symbol, trader_id, client_order_id, side, price, quantity, time, time_ms)
            VALUES ($symbol, $trader, $client, $side, $price, $quantity, $time, $ms)
            ON CONFLICT (client_order_id) DO NOTHING;
            """,
            "$symbol",
            "$trader",
            "$client",
            "$side",
            "$price",
            "$quantity",
            "$time",
            "$ms");
        _insertUpdate = Command(
            """
            INSERT INTO order_updates (symbol, client_order_id, order_id, side, price, quantity, status, executed_qty, commission, commission_asset, time, time_ms)
            VALUES ($symbol, $client, $order, $side, $price, $quantity, $status, $executed, $commission, $asset, $time, $ms);
            """,
            "$symbol",
            "$client",
            "$order",
            "$side",
            "$price",
            "$quantity",
            "$status",
            "$executed",
            "$commission",
            "$asset",
            "$time",
            "$ms");
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version of the file (the newest this code knows, once opened).</summary>
    public int SchemaVersion { get; }

    /// <summary>Whether the store was opened with <see cref="OpenReadOnly"/>: it reads, and never writes.</summary>
    public bool IsReadOnly { get; }

    /// <summary>The backup made before migrating the file on open, or null when no migration was needed.</summary>
    public string? BackupPath { get; private set; }

    /// <summary>The newest schema version this code writes.</summary>
    public static int LatestSchemaVersion => Migration.All[^1].Version;

    /// <inheritdoc />
    /// <exception cref="StrategyStoreException">A saved row cannot be read.</exception>
    public IReadOnlyList<StoredSymbol> Load() =>
        ReadSymbols().Select(s => new StoredSymbol(s.Settings, s.Status, s.Traders.Select(t => t.State).ToArray(), s.NextTraderNumber) { Dust = s.Dust, RealizedPnl = s.RealizedPnl, Guard = s.Guard }).ToArray();

    /// <inheritdoc />
    /// <exception cref="StrategyStoreException">The write failed (disk full, I/O error); nothing was saved.</exception>
    public void SaveSymbol(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var symbol = state.Symbol;
        var settings = JsonSerializer.Serialize(state.Settings, StoreJson.Default.SymbolSettings);
        var traders = state.Traders;
        var ids = new string[traders.Length];
        var states = new string[traders.Length];
        for (var i = 0; i < traders.Length; i++)
        {
            ids[i] = traders[i].TraderId;
            states[i] = JsonSerializer.Serialize(traders[i], StoreJson.Default.TraderState);
        }

        var idsJson = JsonSerializer.Serialize(ids, StoreJson.Default.StringArray);
        var guard = JsonSerializer.Serialize(state.Guard, StoreJson.Default.GuardState);
        var now = SqliteValues.Time(_time.GetUtcNow());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfReadOnly();
            try
            {
                using var transaction = _connection.BeginTransaction();
                SetSymbol(transaction, symbol, settings, state.Status, now, state.NextTraderNumber, (state.Dust, state.RealizedPnl), guard);
                _upsertTrader.Transaction = transaction;
                for (var i = 0; i < ids.Length; i++)
                {
                    Set(_upsertTrader, ids[i], symbol, i, states[i], now);
                    _upsertTrader.ExecuteNonQuery();
                }

                _deleteGoneTraders.Transaction = transaction;
                Set(_deleteGoneTraders, symbol, idsJson);
                _deleteGoneTraders.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new StrategyStoreException(Path, $"Could not save {symbol} to the strategy store {Path}: {ex.Message}", ex);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Recording the same intent twice is a no-op.</remarks>
    /// <exception cref="StrategyStoreException">
    /// The client order id is already recorded for a different order (so the order must not be sent), or the write failed.
    /// </exception>
    public void RecordIntent(OrderIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var r = intent.Request;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfReadOnly();
            try
            {
                Set(_insertIntent, intent.Symbol, intent.TraderId, r.ClientOrderId, r.Side.ToString(), SqliteValues.Decimal(r.Price), SqliteValues.Decimal(r.Quantity), SqliteValues.Time(intent.Time), intent.Time.ToUnixTimeMilliseconds());
                if (_insertIntent.ExecuteNonQuery() == 1)
                {
                    return;
                }
            }
            catch (SqliteException ex)
            {
                throw new StrategyStoreException(Path, $"Could not record the intent {r.ClientOrderId} for {intent.Symbol} in the strategy store {Path}: {ex.Message}", ex);
            }

            var existing = QueryIntents("client_order_id = $p", r.ClientOrderId).Single();
            if (existing.Symbol != intent.Symbol || existing.TraderId != intent.TraderId || existing.Request != r)
            {
                throw new StrategyStoreException(Path, $"Client order id {r.ClientOrderId} is already recorded in {Path} for a different order ({Describe(existing)}); refusing {Describe(intent)} so it is not sent.");
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="StrategyStoreException">The write failed.</exception>
    public void RecordOrderUpdate(OrderUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfReadOnly();
            try
            {
                Set(
                    _insertUpdate,
                    update.Symbol,
                    update.ClientOrderId,
                    update.OrderId,
                    update.Side.ToString(),
                    SqliteValues.Decimal(update.Price),
                    SqliteValues.Decimal(update.Quantity),
                    update.Status.ToString(),
                    SqliteValues.Decimal(update.ExecutedQuantity),
                    SqliteValues.Decimal(update.Commission),
                    update.CommissionAsset,
                    SqliteValues.Time(update.Time),
                    update.Time.ToUnixTimeMilliseconds());
                _insertUpdate.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                throw new StrategyStoreException(Path, $"Could not record the update of {update.ClientOrderId} ({update.Status}) in the strategy store {Path}: {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// Sets a symbol's settings and status in the file, keeping its saved traders. For a command-line
    /// tool while the engine is stopped: a running engine keeps its own settings in memory and would
    /// overwrite these with its next save (change a running engine through the engine instead).
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid (the message names each field).</exception>
    /// <exception cref="StrategyStoreException">The write failed.</exception>
    public void SaveSettings(SymbolSettings settings, SymbolStatus status)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown symbol status.");
        }

        var json = JsonSerializer.Serialize(settings, StoreJson.Default.SymbolSettings);
        var now = SqliteValues.Time(_time.GetUtcNow());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfReadOnly();
            try
            {
                using var transaction = _connection.BeginTransaction();
                SetSymbol(transaction, settings.Symbol, json, status, now, nextTrader: 1, money: null);
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new StrategyStoreException(Path, $"Could not save the settings of {settings.Symbol} to the strategy store {Path}: {ex.Message}", ex);
            }
        }
    }

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
                SELECT id, symbol, client_order_id, order_id, side, price, quantity, status, executed_qty, commission, commission_asset, time
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
                    ParseTime(reader.GetString(11), where)));
            }

            return updates;
        }
    }

    /// <summary>Closes the file, then releases its lock. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _upsertSymbol.Dispose();
            _upsertTrader.Dispose();
            _deleteGoneTraders.Dispose();
            _insertIntent.Dispose();
            _insertUpdate.Dispose();
            _connection.Dispose();
            _snapshot?.Dispose();

            // Last: the next writer must not start before this one's closing checkpoint is done.
            _lock?.Dispose();
        }
    }

    private static string Describe(OrderIntent intent) =>
        $"{intent.Symbol} {intent.TraderId} {intent.Request.Side} {SqliteValues.Decimal(intent.Request.Quantity)} @ {SqliteValues.Decimal(intent.Request.Price)}";

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    // Without money (a settings change from a tool), the saved dust and realized PnL are kept.
    private void SetSymbol(SqliteTransaction transaction, string symbol, string settings, SymbolStatus status, string now, long nextTrader, (decimal Dust, decimal RealizedPnl)? money, string? guard = null)
    {
        _upsertSymbol.Transaction = transaction;
        Set(_upsertSymbol, symbol, settings, status.ToString(), now, nextTrader, money is { } m ? SqliteValues.Decimal(m.Dust) : null, money is { } p ? SqliteValues.Decimal(p.RealizedPnl) : null, guard);
        _upsertSymbol.ExecuteNonQuery();
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
                    var state = Deserialize(reader.GetString(2), StoreJson.Default.TraderState, where);
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
                        Guard = reader.IsDBNull(7) ? null : Deserialize(reader.GetString(7), StoreJson.Default.GuardState, where),
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

    private T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw Problem($"has an empty {typeof(T).Name} for {where}.");
        }
        catch (JsonException ex)
        {
            throw Problem($"has an unreadable {typeof(T).Name} for {where} ({ex.Message}).", ex);
        }
    }

    private decimal ParseDecimal(string text, string where) =>
        SqliteValues.TryParseDecimal(text, out var value) ? value : throw Problem($"has '{text}' where a decimal was expected ({where}).");

    private DateTimeOffset ParseTime(string text, string where) =>
        SqliteValues.TryParseTime(text, out var value) ? value : throw Problem($"has '{text}' where an ISO-8601 time was expected ({where}).");

    private T ParseEnum<T>(string text, string where)
        where T : struct, Enum =>
        SqliteValues.TryParseEnum<T>(text, out var value) ? value : throw Problem($"has '{text}' where a {typeof(T).Name} was expected ({where}).");

    private StrategyStoreException Problem(string problem, Exception? inner = null) =>
        new(Path, $"The strategy store {Path} {problem}", inner);
}
