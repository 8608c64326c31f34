using System.Text;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

public sealed class CorruptFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Constructor_RandomBytes_ThrowsNotSqlite()
    {
        File.WriteAllBytes(_dir.File(), RandomBytes(8192));

        Refused("*not a SQLite database*");
    }

    [Fact]
    public void Constructor_EmptyFile_ThrowsEmpty()
    {
        File.WriteAllBytes(_dir.File(), []);

        Refused("*is empty (0 bytes)*");
    }

    [Fact]
    public void Constructor_SqliteHeaderThenGarbage_ThrowsCorrupt()
    {
        File.WriteAllBytes(_dir.File(), [.. Encoding.ASCII.GetBytes("SQLite format 3\0"), .. RandomBytes(8176)]);

        Refused("*corrupt*");
    }

    [Fact]
    public void Constructor_TruncatedStore_ThrowsCorrupt()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            for (var i = 0; i < 500; i++)
            {
                store.RecordIntent(Intent($"t-{i}-b"));
                store.RecordOrderUpdate(Update($"t-{i}-b"));
            }
        }

        var bytes = File.ReadAllBytes(_dir.File());
        bytes.Length.Should().BeGreaterThan(16 * 4096);
        File.WriteAllBytes(_dir.File(), bytes[..(bytes.Length / 2)]);

        Refused("*corrupt*");
    }

    [Fact]
    public void Constructor_ForeignDatabase_ThrowsNotOurs()
    {
        Sql(_dir.File(), "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'ada');");

        Refused("*not a NaiveStrategy store*no schema_version table*customers*");
    }

    [Fact]
    public void Constructor_ForeignSchemaVersionTable_ThrowsNotOurs()
    {
        Sql(_dir.File(), "CREATE TABLE schema_version (name TEXT); INSERT INTO schema_version VALUES ('x');");

        Refused("*not a NaiveStrategy store*schema_version table is not ours*");
    }

    [Fact]
    public void Constructor_StoreWithUnknownTable_ThrowsNamingIt()
    {
        new SqliteStrategyStore(_dir.File()).Dispose();
        Sql(_dir.File(), "CREATE TABLE orders_backup (id INTEGER);");

        Refused($"*tables schema version {SqliteStrategyStore.LatestSchemaVersion} does not have: orders_backup*");
    }

    [Fact]
    public void Constructor_StoreMissingTable_ThrowsDamaged()
    {
        new SqliteStrategyStore(_dir.File()).Dispose();
        Sql(_dir.File(), "DROP TABLE intents;");

        Refused("*damaged*missing: intents*");
    }

    [Fact]
    public void Load_UnreadableTraderJson_ThrowsNamingTrader()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Selling("a-1")));
        }

        Sql(_dir.File(), "UPDATE traders SET state = '{\"TraderId\":\"a-1\"}';");
        using var reopened = new SqliteStrategyStore(_dir.File());

        reopened.Invoking(s => s.Load()).Should().Throw<StrategyStoreException>().WithMessage($"*{_dir.File()}*unreadable TraderState for trader a-1 of XRPUSDT*");
    }

    [Fact]
    public void Constructor_WalWithoutDatabase_ThrowsAndCreatesNothing()
    {
        File.WriteAllBytes(_dir.File() + "-wal", RandomBytes(4096));

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"*{_dir.File()} does not exist but its journal {_dir.File()}-wal does*");
        Directory.GetFiles(_dir.Path).Should().Equal(_dir.File() + "-wal");
    }

    [Fact]
    public void Load_TraderJsonWithUnknownProperty_ThrowsInsteadOfDroppingIt()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Selling("a-1")));
        }

        Sql(_dir.File(), "UPDATE traders SET state = json_set(state, '$.HeldQuantity', '12');");
        using var reopened = new SqliteStrategyStore(_dir.File());

        reopened.Invoking(s => s.Load()).Should().Throw<StrategyStoreException>().WithMessage("*unreadable TraderState for trader a-1 of XRPUSDT*HeldQuantity*");
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private void Refused(string message)
    {
        var before = File.ReadAllBytes(_dir.File());

        var act = () => new SqliteStrategyStore(_dir.File());

        var error = act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} {message}").Which;
        error.Path.Should().Be(_dir.File());
        File.ReadAllBytes(_dir.File()).Should().Equal(before, "a refused file is never changed");
        Directory.GetFiles(_dir.Path).Should().BeEquivalentTo([_dir.File(), _dir.File() + ".lock"], "no backup, journal, owner record or replacement is left; the lock file is never deleted");
    }
}
