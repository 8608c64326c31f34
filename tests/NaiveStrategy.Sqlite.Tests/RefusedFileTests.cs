using Microsoft.Data.Sqlite;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

/// <summary>
/// Files a writer must not open: read-only or immutable ones, in a directory it cannot write, or beside a
/// log or journal that is not theirs. Each is refused before SQLite can touch it, with a message that
/// names the file, and the files are byte for byte as they were.
/// </summary>
public sealed class RefusedFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Constructor_ReadOnlyAttribute_ThrowsAndNothingChanged()
    {
        CreateWithData();
        File.SetAttributes(_dir.File(), FileAttributes.ReadOnly);
        var before = FileState.Of(_dir.Path);

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} cannot be written: it is read-only (read-only attribute, or no write permission)*It was not changed.");
        FileState.Of(_dir.Path).Should().Equal(before);
        File.SetAttributes(_dir.File(), FileAttributes.Normal);
    }

    [Fact]
    public void Constructor_ImmutableFile_ThrowsAndNothingChanged()
    {
        CreateWithData();
        using var unwritable = Unwritable.TryMake(_dir.File());
        if (unwritable is null)
        {
            return; // not Linux, or root without chattr
        }

        var before = FileState.Of(_dir.Path);

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} cannot be written: *It was not changed.");
        FileState.Of(_dir.Path).Should().Equal(before, "no -wal or -shm was created, and no byte changed");
    }

    [Fact]
    public void Constructor_DirectoryNotWritable_ThrowsNamingItAndNothingChanged()
    {
        CreateWithData();
        using var unwritable = Unwritable.TryMake(_dir.Path);
        if (unwritable is null)
        {
            return; // not Linux, or root without chattr
        }

        var before = FileState.Of(_dir.Path);

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} cannot be opened for writing: its directory {_dir.Path} is not writable*The store was not changed.");
        FileState.Of(_dir.Path).Should().Equal(before);
    }

    [Fact]
    public void Constructor_WriteAheadLogOfAnotherDatabase_ThrowsBeforeReplayAndNothingChanged()
    {
        CreateWithData();
        using var foreign = new TempDirectory();
        File.Copy(ForeignWriteAheadLog(foreign), _dir.File() + "-wal");
        var before = FileState.Of(_dir.Path);

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage(
            $"The strategy store {_dir.File()} has a write-ahead log {_dir.File()}-wal that does not belong to it or is damaged: replayed into a copy, it leaves a file that is a SQLite database but not a NaiveStrategy store*Neither file was changed. Without the log the file is sound*");
        FileState.Of(_dir.Path).Should().Equal(before, "SQLite never opened the file with the log beside it");
        FileState.Names(_dir.Path).Should().NotContain(n => n.EndsWith(".check", StringComparison.Ordinal), "the copy is deleted");
    }

    [Fact]
    public void Constructor_WriteAheadLogLeftByKill_ChecksCopyThenReplays()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling("a-1")));
        using var crashed = new TempDirectory();
        File.Copy(_dir.File(), crashed.File());
        File.Copy(_dir.File() + "-wal", crashed.File() + "-wal");

        using var restarted = new SqliteStrategyStore(crashed.File());

        restarted.Load().Single().Traders.Should().Equal(Selling("a-1"));
        FileState.Names(crashed.Path).Should().NotContain(n => n.EndsWith(".check", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_RollbackJournalBeside_ThrowsAndNothingChanged()
    {
        CreateWithData();
        File.WriteAllBytes(_dir.File() + "-journal", [.. Enumerable.Range(0, 512).Select(i => (byte)i)]);
        var before = FileState.Of(_dir.Path);

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} has a rollback journal {_dir.File()}-journal beside it*Neither file was changed.*");
        FileState.Of(_dir.Path).Should().Equal(before);
    }

    private void CreateWithData()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2")));
        store.RecordIntent(Intent());
    }

    // The write-ahead log of another SQLite database, as a process killed while writing it leaves it.
    private static string ForeignWriteAheadLog(TempDirectory directory)
    {
        var other = directory.File("other.db");
        var copy = directory.File("other.wal");
        using var connection = new SqliteConnection($"Data Source={other};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada'), ('grace');";
        command.ExecuteNonQuery();
        File.Copy(other + "-wal", copy);
        return copy;
    }
}
