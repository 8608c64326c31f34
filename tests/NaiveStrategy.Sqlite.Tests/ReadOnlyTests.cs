using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

/// <summary>
/// <see cref="SqliteStrategyStore.OpenReadOnly"/>, for a status command: reads while a writer runs, and
/// leaves the files as they were (no -wal, -shm or -journal created, no byte changed).
/// </summary>
public sealed class ReadOnlyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OpenReadOnly_NoWriter_ReadsAndNothingChanged()
    {
        CreateWithData();
        var before = FileState.Of(_dir.Path);

        using (var store = SqliteStrategyStore.OpenReadOnly(_dir.File()))
        {
            store.IsReadOnly.Should().BeTrue();
            store.ReadStatus().Symbols.Single().Traders.Select(t => t.State).Should().Equal(Selling("a-1"), Buying("a-2"));
            store.ReadIntents().Should().Equal(Intent());
            FileState.Names(_dir.Path).Should().Equal("state.db", "state.db.lock");
        }

        FileState.Of(_dir.Path).Should().Equal(before);
    }

    [Fact]
    public void OpenReadOnly_PathWithUriCharacters_Reads()
    {
        var path = _dir.File("my state #1 100%25 ü.db");
        using (var writer = new SqliteStrategyStore(path))
        {
            writer.SaveSymbol(Leader(Selling("a-1")));
        }

        using var store = SqliteStrategyStore.OpenReadOnly(path);

        store.Load().Single().Traders.Should().Equal(Selling("a-1"));
    }

    [Fact]
    public void OpenReadOnly_WriterRunning_ReadsItsCommitsAndCreatesNothing()
    {
        using var writer = new SqliteStrategyStore(_dir.File());
        writer.SaveSymbol(Leader(Selling("a-1")));
        var names = FileState.Names(_dir.Path);

        using (var reader = SqliteStrategyStore.OpenReadOnly(_dir.File()))
        {
            reader.Load().Single().Traders.Should().Equal(Selling("a-1"));
            writer.SaveSymbol(Leader(Selling("a-1"), Buying("a-2")));
            reader.Load().Single().Traders.Should().Equal(Selling("a-1"), Buying("a-2"));
        }

        FileState.Names(_dir.Path).Should().Equal(names);
        writer.RecordIntent(Intent());
        writer.ReadIntents().Should().Equal(Intent());
    }

    [Fact]
    public void OpenReadOnly_WriteAheadLogLeftByKill_ReadsItsCommitsAndNothingChanged()
    {
        using var crashed = new TempDirectory();
        using (var writer = new SqliteStrategyStore(_dir.File()))
        {
            writer.SaveSymbol(Leader(Selling("a-1")));
            writer.RecordIntent(Intent());
            File.Copy(_dir.File(), crashed.File());
            File.Copy(_dir.File() + "-wal", crashed.File() + "-wal");
        }

        var before = FileState.Of(crashed.Path);

        using (var store = SqliteStrategyStore.OpenReadOnly(crashed.File()))
        {
            store.Load().Single().Traders.Should().Equal(Selling("a-1"));
            store.ReadIntents().Should().Equal(Intent());
        }

        FileState.Of(crashed.Path).Should().Equal(before, "the log is replayed into a private copy, not into the file");
    }

    [Fact]
    public void OpenReadOnly_WriteAheadLogOfAnotherStore_ThrowsAndNothingChanged()
    {
        CreateWithData();
        File.WriteAllBytes(_dir.File() + "-wal", ForeignLog());
        var before = FileState.Of(_dir.Path);

        var act = () => SqliteStrategyStore.OpenReadOnly(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} has a write-ahead log {_dir.File()}-wal that does not belong to it or is damaged*Neither file was changed.*");
        FileState.Of(_dir.Path).Should().Equal(before);
    }

    [Fact]
    public void OpenReadOnly_NoFile_ThrowsAndCreatesNothing()
    {
        var act = () => SqliteStrategyStore.OpenReadOnly(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} does not exist. Nothing was created.");
        FileState.Names(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void OpenReadOnly_OlderSchema_ThrowsAskingForAWriterToMigrate()
    {
        new SqliteStrategyStore(_dir.File(), TimeProvider.System, [Migration.All[0]]).Dispose();
        var before = FileState.Of(_dir.Path);

        var act = () => SqliteStrategyStore.OpenReadOnly(_dir.File());

        act.Should().Throw<StrategyStoreException>().WithMessage($"The strategy store {_dir.File()} has schema version 1, older than this version reads ({SqliteStrategyStore.LatestSchemaVersion}). Open it for writing once*It was not changed.");
        FileState.Of(_dir.Path).Should().Equal(before);
    }

    [Fact]
    public void OpenReadOnly_ImmutableFileAndDirectory_Reads()
    {
        CreateWithData();
        using var file = Unwritable.TryMake(_dir.File());
        using var directory = Unwritable.TryMake(_dir.Path);
        if (file is null || directory is null)
        {
            return; // not Linux, or root without chattr
        }

        using var store = SqliteStrategyStore.OpenReadOnly(_dir.File());

        store.Load().Single().Traders.Should().HaveCount(2);
    }

    [Fact]
    public void OpenReadOnly_Open_WriterRefusedUntilDisposed()
    {
        CreateWithData();
        var reader = SqliteStrategyStore.OpenReadOnly(_dir.File());

        FluentActions.Invoking(() => new SqliteStrategyStore(_dir.File())).Should().Throw<StrategyStoreException>().WithMessage($"state file {_dir.File()} is in use: *a reader such as status holds it*");
        reader.Dispose();

        using var writer = new SqliteStrategyStore(_dir.File());
        writer.Load().Should().ContainSingle();
    }

    [Fact]
    public void WritingMethods_ReadOnly_ThrowInvalidOperationAndWriteNothing()
    {
        CreateWithData();
        var before = FileState.Of(_dir.Path);
        using var store = SqliteStrategyStore.OpenReadOnly(_dir.File());

        store.Invoking(s => s.SaveSymbol(Leader())).Should().Throw<InvalidOperationException>().WithMessage($"*{_dir.File()}*read-only*");
        store.Invoking(s => s.RecordIntent(Intent("b-1-b"))).Should().Throw<InvalidOperationException>();
        store.Invoking(s => s.RecordOrderUpdate(Update())).Should().Throw<InvalidOperationException>();
        store.Invoking(s => s.SaveSettings(Settings(), SymbolStatus.Off)).Should().Throw<InvalidOperationException>();
        store.Dispose();
        FileState.Of(_dir.Path).Should().Equal(before);
    }

    private void CreateWithData()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2")));
        store.RecordIntent(Intent());
    }

    // The log of another store, killed while open: a valid log whose pages belong to that file.
    private static byte[] ForeignLog()
    {
        using var other = new TempDirectory();
        Sql(other.File(), "PRAGMA journal_mode = WAL; CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={other.File()};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO customers (name) VALUES ('ada');";
        command.ExecuteNonQuery();
        return File.ReadAllBytes(other.File() + "-wal");
    }
}
