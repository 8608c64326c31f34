using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Sqlite;

// Opening a file for reading (a status command): nothing is created beside it, nothing in it changes.
public sealed partial class SqliteStrategyStore
{
    // A writer holds the lock from before it opens the file; until its connection is open there is no
    // write-ahead log to read beside it, so a reader waits that long, and no longer.
    private static readonly TimeSpan WriterOpeningWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Opens an existing store to read it (a <c>status</c> command), also while another process writes
    /// it. Nothing is created beside the file and nothing in it changes. While a writer runs, the store
    /// reads beside it through SQLite's shared write-ahead log (committed data only). With no writer,
    /// the file is read as it is and, while this store is open, no writer can start (it waits a
    /// moment, then reports the file in use); a file with a write-ahead log left by a process that
    /// did not close it is read from a private copy instead, so the log is replayed into the copy.
    /// Writing methods throw <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="logger">Where opening is logged; nowhere when null.</param>
    /// <exception cref="StrategyStoreException">
    /// The file does not exist, is corrupt, is not a NaiveStrategy store, has another schema version
    /// than this code, or has a write-ahead log that does not belong to it.
    /// </exception>
    public static SqliteStrategyStore OpenReadOnly(string path, ILogger<SqliteStrategyStore>? logger = null) =>
        new(path, TimeProvider.System, Migration.All, logger, readOnly: true);

    private (SqliteConnection Connection, StoreLock? Lock, StoreSnapshot? Snapshot) OpenForReading()
    {
        if (!File.Exists(Path))
        {
            throw Problem("does not exist. Nothing was created.");
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            StoreLock? shared;
            bool writerRunning;
            try
            {
                shared = StoreLock.TryAcquireReader(Path, out writerRunning);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Problem($"cannot be read: its lock file {StoreLock.LockPath(Path)} cannot be opened ({ex.Message}). It was not changed.", ex);
            }

            if (writerRunning)
            {
                if (File.Exists(Path + "-wal") && File.Exists(Path + "-shm"))
                {
                    return (OpenBesideWriter(), null, null);
                }

                if (waited.Elapsed >= WriterOpeningWait)
                {
                    var owner = StoreOwner.TryRead(StoreLock.OwnerPath(Path));
                    var holder = owner is not null && owner.IsRunning() ? StoreLock.InUse(Path, owner) : $"state file {Path} is in use (its lock is held)";
                    throw new StrategyStoreException(Path, $"{holder}, and cannot be read yet: there is no write-ahead log beside it to read through (its writer is still opening it, or holds the lock without opening it). It was not changed.");
                }

                Thread.Sleep(TimeSpan.FromMilliseconds(50));
                continue;
            }

            try
            {
                var opened = OpenAtRest(shared);
                if (shared is null && File.Exists(StoreLock.LockPath(Path)))
                {
                    // A writer started while the copy was taken (it creates the lock file before it
                    // touches the store): read again, beside it.
                    opened.Connection.Dispose();
                    opened.Snapshot?.Dispose();
                    continue;
                }

                return opened;
            }
            catch
            {
                shared?.Dispose();
                throw;
            }
        }
    }

    // No writer runs, and none starts while the shared lock is held: with no write-ahead log the file
    // is read as it is (immutable: SQLite takes no locks and creates no -wal or -shm). A log to replay,
    // or no lock file to keep writers out, and the store is read from a private copy instead.
    private (SqliteConnection Connection, StoreLock? Lock, StoreSnapshot? Snapshot) OpenAtRest(StoreLock? shared)
    {
        CheckHeader();
        RefuseRollbackJournal();
        if (shared is not null && !HasWriteAheadLog())
        {
            var connection = OpenChecked(() => OpenImmutable(Path));
            Log.OpenedReadOnly(_logger, Path, "as it is; no writer can start until it is closed");
            return (connection, shared, null);
        }

        var snapshot = TakeSnapshot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "naive-store-" + Guid.NewGuid().ToString("N")));
        shared?.Dispose();
        try
        {
            var connection = OpenSnapshot(snapshot, allowOlder: false);
            Log.OpenedReadOnly(_logger, Path, "from a copy in " + snapshot.Directory);
            return (connection, null, snapshot);
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    // A writer runs, so its -wal and -shm exist: a read-only connection uses them and creates nothing.
    // It sees committed data only, as any second SQLite connection does. (The file itself is not read
    // by .NET here: closing a .NET handle on it would drop a same-process writer's SQLite locks.)
    private SqliteConnection OpenBesideWriter()
    {
        var connection = OpenChecked(() => Open(Path, SqliteOpenMode.ReadOnly));
        Log.OpenedReadOnly(_logger, Path, "beside its running writer");
        return connection;
    }

    private SqliteConnection OpenChecked(Func<SqliteConnection> open)
    {
        SqliteConnection connection;
        try
        {
            connection = open();
        }
        catch (SqliteException ex)
        {
            throw Problem($"cannot be read ({ex.Message}). It was not changed.", ex);
        }

        try
        {
            InspectOrThrow(connection, allowOlder: false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void ThrowIfReadOnly()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"The strategy store {Path} was opened read-only ({nameof(OpenReadOnly)}); open it with the constructor to write.");
        }
    }
}
