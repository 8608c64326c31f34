using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

public sealed class MigrationTests : IDisposable
{
    // The schema this code writes, and a test step after it: the tests hold whatever the latest version is.
    private static readonly int Latest = Migration.All[^1].Version;
    private static readonly int Next = Latest + 1;
    private static readonly string Backup = $".bak-{Latest}-20240506070809";
    private static readonly Migration AddAudit = new(Next, "test: audit table", "CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT); ALTER TABLE symbols ADD COLUMN note TEXT;", ["audit"]);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Constructor_OlderVersion_BacksUpThenMigratesKeepingData()
    {
        CreateCurrentVersionWithData();

        using var store = new SqliteStrategyStore(_dir.File(), _time, [.. Migration.All, AddAudit]);

        store.SchemaVersion.Should().Be(Next);
        store.BackupPath.Should().Be(_dir.File() + Backup);
        Query(_dir.File(), "SELECT version FROM schema_version ORDER BY version;").Should().Equal(Enumerable.Range(1, Next).Select(v => (object)(long)v));
        Query(_dir.File(), "SELECT COUNT(*) FROM audit;").Should().Equal(0L);
        store.Load().Single().Traders.Should().Equal(Selling("a-1"));
        store.ReadIntents().Should().Equal(Intent());
        Query(store.BackupPath!, "SELECT MAX(version) FROM schema_version;").Should().Equal((long)Latest);
        Query(store.BackupPath!, "SELECT trader_id FROM traders;").Should().Equal("a-1");
        Query(store.BackupPath!, "SELECT client_order_id FROM intents;").Should().Equal("a-1-b");
    }

    [Fact]
    public void Constructor_OlderVersion_MigrationLoggedWithBackup()
    {
        CreateCurrentVersionWithData();
        var logger = new ListLogger();

        using var store = new SqliteStrategyStore(_dir.File(), _time, [.. Migration.All, AddAudit], logger);

        logger.Lines.Should().ContainSingle(l => l.Level == LogLevel.Warning).Which.Message.Should()
            .Be($"Migrated the strategy store {_dir.File()} from schema version {Latest} to {Next}; the file before is backed up at {store.BackupPath}");
    }

    [Fact]
    public void Constructor_BackupNameTaken_NewNameNothingOverwritten()
    {
        CreateCurrentVersionWithData();
        var taken = _dir.File() + Backup;
        File.WriteAllText(taken, "an earlier backup");

        using var store = new SqliteStrategyStore(_dir.File(), _time, [.. Migration.All, AddAudit]);

        store.BackupPath.Should().Be(taken + "-2");
        File.ReadAllText(taken).Should().Be("an earlier backup");
    }

    [Fact]
    public void Constructor_UpToDate_NoBackup()
    {
        CreateCurrentVersionWithData();

        using var store = new SqliteStrategyStore(_dir.File(), _time);

        store.BackupPath.Should().BeNull();
        Directory.GetFiles(_dir.Path, "*.bak-*").Should().BeEmpty();
    }

    [Fact]
    public void Constructor_NewerVersion_ThrowsAndFileUnchanged()
    {
        new SqliteStrategyStore(_dir.File(), _time, [.. Migration.All, AddAudit]).Dispose();
        var before = File.ReadAllBytes(_dir.File());

        var act = () => new SqliteStrategyStore(_dir.File(), _time);

        var error = act.Should().Throw<StrategyStoreException>().WithMessage($"*{_dir.File()}*schema version {Next}*newer*({Latest})*not changed*").Which;
        error.Path.Should().Be(_dir.File());
        File.ReadAllBytes(_dir.File()).Should().Equal(before);
        Directory.GetFiles(_dir.Path).Should().BeEquivalentTo(_dir.File(), _dir.File() + ".lock");
    }

    [Fact]
    public void Constructor_MigrationFails_RolledBackAndBackupKept()
    {
        CreateCurrentVersionWithData();
        var broken = new Migration(Next, "test: broken", "CREATE TABLE audit (id INTEGER); INSERT INTO no_such_table VALUES (1);", ["audit"]);

        var act = () => new SqliteStrategyStore(_dir.File(), _time, [.. Migration.All, broken]);

        act.Should().Throw<StrategyStoreException>().WithMessage($"*{_dir.File()}*from schema version {Latest} to {Next}*no_such_table*rolled back*{Backup}*");
        Query(_dir.File(), "SELECT MAX(version) FROM schema_version;").Should().Equal((long)Latest);
        Query(_dir.File(), "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'audit';").Should().Equal(0L);
        File.Exists(_dir.File() + Backup).Should().BeTrue();
        using var store = new SqliteStrategyStore(_dir.File(), _time);
        store.Load().Single().Traders.Should().Equal(Selling("a-1"));
    }

    [Fact]
    public void Constructor_Version2File_MigratedAndLoadsWithoutDustOrPnl()
    {
        // A file written before schema 3: its symbols have no dust nor realized PnL, its traders no DustTaken.
        using (new SqliteStrategyStore(_dir.File(), _time, [.. Migration.All.Take(2)]))
        {
        }

        var trader = System.Text.Json.JsonSerializer.Serialize(Selling("a-1"), StoreJson.Default.TraderSnapshot).Replace(",\"DustTaken\":\"0\"", "", StringComparison.Ordinal);
        trader.Should().NotContain("DustTaken");
        var settings = System.Text.Json.JsonSerializer.Serialize(Settings(), StoreJson.Default.SymbolSettings);
        Sql(_dir.File(), $"INSERT INTO symbols (symbol, settings, status, updated_at, next_trader) VALUES ('XRPUSDT', '{settings}', 'On', '2024-01-01T00:00:00.0000000Z', 5);");
        Sql(_dir.File(), $"INSERT INTO traders (trader_id, symbol, position, state, updated_at) VALUES ('a-1', 'XRPUSDT', 0, '{trader}', '2024-01-01T00:00:00.0000000Z');");

        using var store = new SqliteStrategyStore(_dir.File(), _time);

        store.BackupPath.Should().Be(_dir.File() + ".bak-2-20240506070809");
        var symbol = store.Load().Single();
        (symbol.Dust, symbol.RealizedPnl, symbol.NextTraderNumber).Should().Be((0m, 0m, 5L));
        symbol.Traders.Should().Equal(Selling("a-1"));
    }

    private void CreateCurrentVersionWithData()
    {
        using var store = new SqliteStrategyStore(_dir.File(), _time, Migration.All);
        store.SaveSymbol(Leader(Selling("a-1")));
        store.RecordIntent(Intent());
    }
}

internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add((logLevel, formatter(state, exception)));
}
