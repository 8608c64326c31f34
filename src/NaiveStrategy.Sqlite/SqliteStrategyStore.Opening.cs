using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace NaiveStrategy.Sqlite;

// Opening a file for writing: lock it, create it, or check it and migrate it. Nothing here resets or overwrites a file.
public sealed partial class SqliteStrategyStore
{
    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> QueryStrings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString() ?? "");
        }

        return values;
    }

    private static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "none" : text;
    }

    // Writer: the lock first, so that creating, checking, migrating and writing are one process's alone.
    private (SqliteConnection Connection, StoreLock Lock) OpenForWriting()
    {
        if (!File.Exists(Path))
        {
            RefuseOrphanJournals();
        }

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Problem($"cannot be created: its directory cannot be created ({ex.Message}).", ex);
        }

        var held = StoreLock.AcquireWriter(Path, _time.GetUtcNow());
        try
        {
            if (!File.Exists(Path))
            {
                RefuseOrphanJournals();
                CreateNew();
            }

            return (OpenExisting(), held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    // The file at Path is either absent or a complete store: it is built under another name and
    // renamed, so a crash during creation cannot leave a half-made file that a later start would
    // have to guess about; the lock keeps a second creator out meanwhile. The rename itself is made
    // durable by the first commit: SQLite fsyncs the directory when it first syncs a new WAL file,
    // and that happens before any save returns.
    private void CreateNew()
    {
        var temporary = Path + ".creating";
        var leftovers = new[] { temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal" };
        try
        {
            foreach (var leftover in leftovers)
            {
                // Left by a crash during an earlier creation; they never held any state.
                File.Delete(leftover);
            }

            using (var connection = Open(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                ConfigureDurability(connection);
                Migrate(connection, 0);
            }

            // Closing the only connection folded the log into the file and deleted it; a log still
            // there would hold the schema, and renaming the file without it would lose it.
            if (File.Exists(temporary + "-wal"))
            {
                throw new IOException($"{temporary}-wal was not folded into {temporary} when it was closed.");
            }

            File.Move(temporary, Path, overwrite: false);
            Log.Created(_logger, Path, SchemaVersion);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or StrategyStoreException)
        {
            foreach (var leftover in leftovers)
            {
                TryDelete(leftover);
            }

            if (ex is StrategyStoreException)
            {
                throw;
            }

            throw new StrategyStoreException(Path, $"Could not create the strategy store {Path}: {ex.Message} No store was created.", ex);
        }
    }

    private SqliteConnection OpenExisting()
    {
        CheckHeader();
        RefuseReadOnly();
        RefuseRollbackJournal();
        CheckWriteAheadLog();
        SqliteConnection connection;
        try
        {
            connection = Open(Path, SqliteOpenMode.ReadWrite);
        }
        catch (SqliteException ex)
        {
            throw Problem($"cannot be opened ({ex.Message}). It was not changed.", ex);
        }

        try
        {
            // SQLite opens a file it may not write read-only without a word, and only the first save
            // fails; this is checked before anything is read, so SQLite has not touched the file yet.
            if (raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw Problem("cannot be written: SQLite could open it only for reading (it is immutable, or on a read-only file system, or this user may not write it or its directory). The engine could not save its state, so it is not used. It was not changed.");
            }

            var version = InspectOrThrow(connection, allowOlder: true);
            ConfigureDurability(connection);
            if (version < SchemaVersion)
            {
                Backup(connection, version);
                Migrate(connection, version);
                Log.Migrated(_logger, Path, version, SchemaVersion, BackupPath!);
            }
            else
            {
                Log.Opened(_logger, Path, version);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void ConfigureDurability(SqliteConnection connection)
    {
        string mode;
        try
        {
            mode = QueryStrings(connection, "PRAGMA journal_mode = WAL;").Single();
            Execute(connection, "PRAGMA synchronous = FULL;");
        }
        catch (SqliteException ex)
        {
            throw Problem($"cannot be configured for durable writes ({ex.Message}).", ex);
        }

        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw Problem($"cannot use write-ahead logging (journal mode stays '{mode}'); put it on a local disk.");
        }
    }

    private void Backup(SqliteConnection connection, int version)
    {
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var name = $"{Path}.bak-{version.ToString(CultureInfo.InvariantCulture)}-{stamp}";
        var target = name;
        for (var n = 2; File.Exists(target); n++)
        {
            target = name + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            // The online backup copies the committed state, including what is still in the WAL file.
            using var destination = Open(target, SqliteOpenMode.ReadWriteCreate);
            Execute(destination, "PRAGMA synchronous = FULL;");
            connection.BackupDatabase(destination);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw Problem($"could not be backed up to {target} before migrating it from schema version {version.ToString(CultureInfo.InvariantCulture)} ({ex.Message}). Nothing was migrated.", ex);
        }

        BackupPath = target;
    }

    private void Migrate(SqliteConnection connection, int from)
    {
        var current = from;
        try
        {
            using var transaction = connection.BeginTransaction();
            foreach (var migration in _migrations.Where(m => m.Version > from))
            {
                current = migration.Version;
                Execute(connection, migration.Sql, transaction);
                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t);";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$d", migration.Description);
                record.Parameters.AddWithValue("$t", SqliteValues.Time(_time.GetUtcNow()));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            var backup = BackupPath is null ? "" : $" A backup from before is at {BackupPath}.";
            throw Problem($"could not be migrated from schema version {from.ToString(CultureInfo.InvariantCulture)} to {current.ToString(CultureInfo.InvariantCulture)} ({ex.Message}); the migration was rolled back, the file is unchanged.{backup}", ex);
        }
    }
}
