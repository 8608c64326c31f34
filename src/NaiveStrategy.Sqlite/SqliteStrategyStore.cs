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
public sealed partial class SqliteStrategyStore : IStrategyStore, IRunJournal, IDisposable
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
            INSERT INTO order_updates (symbol, client_order_id, order_id, side, price, quantity, status, executed_qty, commission, commission_asset, time, time_ms, source, reordered)
            VALUES ($symbol, $client, $order, $side, $price, $quantity, $status, $executed, $commission, $asset, $time, $ms, $source, $reordered);
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
            "$ms",
            "$source",
            "$reordered");
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
    public IReadOnlyList<StrategySnapshot> Load() =>
        ReadSymbols().Select(s => new StrategySnapshot
        {
            Settings = s.Settings,
            Status = s.Status,
            NextTraderNumber = s.NextTraderNumber,
            Dust = s.Dust,
            RealizedPnl = s.RealizedPnl,
            Guard = s.Guard,
            Traders = [.. s.Traders.Select(t => t.State)],
        }).ToArray();

    /// <inheritdoc />
    /// <exception cref="StrategyStoreException">The write failed (disk full, I/O error); nothing was saved.</exception>
    public void SaveSymbol(SymbolSnapshot symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        // What is written is the symbol's StrategySnapshot.
        var snapshot = StrategySnapshot.Of(symbol);
        var settings = JsonSerializer.Serialize(snapshot.Settings, StoreJson.Default.SymbolSettings);
        var traders = snapshot.Traders;
        var ids = new string[traders.Count];
        var states = new string[traders.Count];
        for (var i = 0; i < traders.Count; i++)
        {
            ids[i] = traders[i].TraderId;
            states[i] = JsonSerializer.Serialize(traders[i], StoreJson.Default.TraderSnapshot);
        }

        var idsJson = JsonSerializer.Serialize(ids, StoreJson.Default.StringArray);
        var guard = JsonSerializer.Serialize(snapshot.Guard, StoreJson.Default.GuardSnapshot);
        var now = SqliteValues.Time(_time.GetUtcNow());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfReadOnly();
            try
            {
                using var transaction = _connection.BeginTransaction();
                SetSymbol(transaction, symbol.Symbol, settings, snapshot.Status, now, snapshot.NextTraderNumber, (snapshot.Dust, snapshot.RealizedPnl), guard);
                _upsertTrader.Transaction = transaction;
                for (var i = 0; i < ids.Length; i++)
                {
                    Set(_upsertTrader, ids[i], symbol.Symbol, i, states[i], now);
                    _upsertTrader.ExecuteNonQuery();
                }

                _deleteGoneTraders.Transaction = transaction;
                Set(_deleteGoneTraders, symbol.Symbol, idsJson);
                _deleteGoneTraders.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new StrategyStoreException(Path, $"Could not save {symbol.Symbol} to the strategy store {Path}: {ex.Message}", ex);
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
                    update.Time.ToUnixTimeMilliseconds(),
                    update.Source.ToString(),
                    update.Reordered ? 1 : 0);
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

    private StrategyStoreException Problem(string problem, Exception? inner = null) =>
        new(Path, $"The strategy store {Path} {problem}", inner);
}
