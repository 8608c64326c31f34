using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

/// <summary>One process at a time writes a store file: the lock file, its owner record, and creation under the lock.</summary>
public sealed class OneWriterTests : IDisposable
{
    private static readonly DateTimeOffset Since = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Since);

    public void Dispose() => _dir.Dispose();

    private string InUse(int processId) => $"state file {_dir.File()} is in use by process {processId.ToString(CultureInfo.InvariantCulture)} (since 2024-05-06T07:08:09Z)";

    [Fact]
    public void Constructor_FileOpenForWriting_ThrowsInUseNamingProcessAndSince()
    {
        using var first = new SqliteStrategyStore(_dir.File(), _time);

        var act = () => new SqliteStrategyStore(_dir.File());

        var error = act.Should().Throw<StrategyStoreException>().Which;
        error.Message.Should().Be(InUse(Environment.ProcessId));
        error.Path.Should().Be(_dir.File());
    }

    [Fact]
    public void Constructor_FileOpenForWriting_FirstWriterUnharmed()
    {
        using var first = new SqliteStrategyStore(_dir.File(), _time);
        first.SaveSymbol(Leader(Selling("a-1")));

        FluentActions.Invoking(() => new SqliteStrategyStore(_dir.File())).Should().Throw<StrategyStoreException>();

        first.SaveSymbol(Leader(Selling("a-1"), Buying("a-2")));
        first.Load().Single().Traders.Should().Equal(Selling("a-1"), Buying("a-2"));
    }

    [Fact]
    public void Constructor_Open_OwnerRecordNamesThisProcess()
    {
        using var store = new SqliteStrategyStore(_dir.File(), _time);

        var lines = File.ReadAllLines(_dir.File() + ".owner");

        lines[0].Should().Be($"pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        lines[1].Should().MatchRegex(@"^started \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$");
        lines[2].Should().Be("since 2024-05-06T07:08:09.0000000Z");
    }

    [Fact]
    public void Dispose_Writer_RemovesOwnerRecordKeepsLockFile()
    {
        new SqliteStrategyStore(_dir.File(), _time).Dispose();

        File.Exists(_dir.File() + ".owner").Should().BeFalse("a record that outlives its writer would name a process that no longer writes");
        File.Exists(_dir.File() + ".lock").Should().BeTrue("deleting it would let two processes lock two files of the same name");
    }

    [Fact]
    public void Constructor_AfterFirstDisposed_Opens()
    {
        using (var first = new SqliteStrategyStore(_dir.File()))
        {
            first.SaveSymbol(Leader(Selling("a-1")));
        }

        using var second = new SqliteStrategyStore(_dir.File());

        second.Load().Single().Traders.Should().Equal(Selling("a-1"));
    }

    [Fact]
    public void Constructor_StaleOwnerRecordOfEndedProcess_Opens()
    {
        new SqliteStrategyStore(_dir.File()).Dispose();
        int ended;
        using (var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!)
        {
            process.WaitForExit();
            ended = process.Id;
        }

        File.WriteAllText(_dir.File() + ".owner", $"pid {ended.ToString(CultureInfo.InvariantCulture)}\nstarted unknown\nsince 2024-01-01T00:00:00.0000000Z\n");

        using var store = new SqliteStrategyStore(_dir.File(), _time);

        File.ReadAllLines(_dir.File() + ".owner")[0].Should().Be($"pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public async Task Constructor_TwoAtOnceOnNewFile_OneCreatesOtherInUseFileComplete()
    {
        using var start = new Barrier(2);
        SqliteStrategyStore? Create()
        {
            start.SignalAndWait();
            try
            {
                return new SqliteStrategyStore(_dir.File(), _time);
            }
            catch (StrategyStoreException ex) when (ex.Message == InUse(Environment.ProcessId))
            {
                return null;
            }
        }

        var stores = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(Create, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        stores.Count(s => s is not null).Should().Be(1);
        stores.Single(s => s is not null)!.Dispose();
        FileState.Names(_dir.Path).Should().Equal("state.db", "state.db.lock");
        using var reader = SqliteStrategyStore.OpenReadOnly(_dir.File());
        reader.Load().Should().BeEmpty("the file is a complete, empty store");
    }

    [Fact]
    public void Constructor_LeftoversOfCrashedCreation_CreatesCompleteStore()
    {
        // A creation killed half-way: a file with no tables, and its journal files.
        var creating = _dir.File() + ".creating";
        using (var connection = new SqliteConnection($"Data Source={creating};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            command.ExecuteNonQuery();
        }

        File.WriteAllBytes(creating + "-wal", new byte[4096]);
        File.WriteAllBytes(creating + "-shm", new byte[32768]);

        using var store = new SqliteStrategyStore(_dir.File());

        store.SaveSymbol(Leader(Selling("a-1")));
        FileState.Names(_dir.Path).Should().NotContain(n => n.Contains(".creating", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Constructor_LockHeldByAnotherProcessRecordedAsOwner_ThrowsInUseNamingIt()
    {
        if (!FlockProcess.Available)
        {
            return;
        }

        new SqliteStrategyStore(_dir.File()).Dispose();
        using var other = await FlockProcess.HoldAsync(_dir.File() + ".lock");
        OwnerRecord(other.Id);

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().Which.Message.Should().Be(InUse(other.Id));
    }

    [Fact]
    public async Task Constructor_LockHeldByProcessWithNoRecord_ThrowsInUseByAnotherProcess()
    {
        if (!FlockProcess.Available)
        {
            return;
        }

        new SqliteStrategyStore(_dir.File()).Dispose();
        using var other = await FlockProcess.HoldAsync(_dir.File() + ".lock");

        var act = () => new SqliteStrategyStore(_dir.File());

        act.Should().Throw<StrategyStoreException>().Which.Message.Should()
            .Be($"state file {_dir.File()} is in use: its lock {_dir.File()}.lock is held, and no running process is recorded in {_dir.File()}.owner as its writer (a reader such as status holds it, or a program that is not NaiveStrategy)");
    }

    [Fact]
    public async Task Constructor_Open_AnotherProcessCannotTakeTheLockUntilDisposed()
    {
        if (!FlockProcess.Available)
        {
            return;
        }

        var store = new SqliteStrategyStore(_dir.File());

        (await FlockProcess.CanLockAsync(_dir.File() + ".lock")).Should().BeFalse();
        store.Dispose();
        (await FlockProcess.CanLockAsync(_dir.File() + ".lock")).Should().BeTrue();
    }

    [Fact]
    public async Task Constructor_HolderKilled_OpensDespiteItsRecord()
    {
        if (!FlockProcess.Available)
        {
            return;
        }

        new SqliteStrategyStore(_dir.File()).Dispose();
        using var other = await FlockProcess.HoldAsync(_dir.File() + ".lock");
        OwnerRecord(other.Id);
        FluentActions.Invoking(() => new SqliteStrategyStore(_dir.File())).Should().Throw<StrategyStoreException>();

        await other.KillAsync();

        using var store = new SqliteStrategyStore(_dir.File(), _time);
        store.SaveSymbol(Leader(Selling("a-1")));
        File.ReadAllLines(_dir.File() + ".owner")[0].Should().Be($"pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
    }

    // The record a NaiveStrategy process holding the lock would have written.
    private void OwnerRecord(int processId)
    {
        using var process = Process.GetProcessById(processId);
        var started = process.StartTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        File.WriteAllText(_dir.File() + ".owner", $"pid {processId.ToString(CultureInfo.InvariantCulture)}\nstarted {started}\nsince 2024-05-06T07:08:09.0000000Z\n");
    }
}
