using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NaiveStrategy.Sqlite;

// Opening a file: create it, or check it and migrate it. Nothing here resets or overwrites a file.
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

    // A WAL or rollback journal without its database means the file was deleted or moved while the
    // engine had unsaved pages in the journal. SQLite would replay that journal into a new file of the
    // same name, so creating one here could corrupt it or resurrect stale state.
    private void RefuseOrphanJournals()
    {
        foreach (var journal in new[] { Path + "-wal", Path + "-journal" })
        {
            if (File.Exists(journal))
            {
                throw Problem($"does not exist but its journal {journal} does: the database was deleted or moved while in use. Put the database back beside it, or move the journal away to start with no saved state. Nothing was created.");
            }
        }
    }

    // The file at Path is either absent or a complete store: it is built under another name and
    // renamed, so a crash during creation cannot leave a half-made file that a later start would
    // have to guess about. The rename itself is made durable by the first commit: SQLite fsyncs the
    // directory when it first syncs a new WAL file, and that happens before any save returns.
    private void CreateNew()
    {
        var temporary = Path + ".creating";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            foreach (var leftover in new[] { temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal" })
            {
                // Left by a crash during an earlier creation; they never held any state.
                File.Delete(leftover);
            }

            using (var connection = Open(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                ConfigureDurability(connection);
                Migrate(connection, 0);
            }

            File.Move(temporary, Path, overwrite: false);
            Log.Created(_logger, Path, SchemaVersion);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StrategyStoreException(Path, $"Could not create the strategy store {Path}: {ex.Message}", ex);
        }
    }

    private SqliteConnection OpenExisting()
    {
        CheckHeader();
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
            var version = Inspect(connection);
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

    private void CheckHeader()
    {
        var header = new byte[SqliteHeader.Length];
        long length;
        int read;
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = stream.Length;
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Problem($"cannot be read ({ex.Message}).", ex);
        }

        if (length == 0)
        {
            throw Problem("is empty (0 bytes): it was truncated or is not a NaiveStrategy store. Restore it from a backup, or move it away to start with no saved state (then orders still open on the exchange are unknown to the strategy).");
        }

        if (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
        {
            throw Problem($"is not a SQLite database (it does not start with the SQLite header; {length.ToString(CultureInfo.InvariantCulture)} bytes): it is corrupt or another kind of file. It was not changed.");
        }
    }

    // Read-only checks: nothing is written to a file that fails them.
    private int Inspect(SqliteConnection connection)
    {
        List<string> integrity;
        List<string> tables;
        try
        {
            integrity = QueryStrings(connection, "PRAGMA quick_check;");
            tables = QueryStrings(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name;");
        }
        catch (SqliteException ex)
        {
            throw Problem($"is corrupt or not a database ({ex.Message}). Restore it from a backup. It was not changed.", ex);
        }

        if (integrity is not ["ok"])
        {
            throw Problem($"is corrupt (integrity check: {string.Join("; ", integrity.Take(3))}). Restore it from a backup. It was not changed.");
        }

        if (!tables.Contains("schema_version", StringComparer.Ordinal))
        {
            throw Problem($"is a SQLite database but not a NaiveStrategy store: it has no schema_version table (tables: {List(tables)}). It was not changed.");
        }

        long version;
        try
        {
            var value = QueryStrings(connection, "SELECT MAX(version) FROM schema_version;").Single();
            version = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        }
        catch (SqliteException ex)
        {
            throw Problem($"is a SQLite database but not a NaiveStrategy store: its schema_version table is not ours ({ex.Message}). It was not changed.", ex);
        }

        if (version < 1)
        {
            throw Problem("is not a usable NaiveStrategy store: its schema_version table holds no version. It was not changed.");
        }

        if (version > SchemaVersion)
        {
            throw Problem($"has schema version {version.ToString(CultureInfo.InvariantCulture)}, newer than this NaiveStrategy.Sqlite knows ({SchemaVersion.ToString(CultureInfo.InvariantCulture)}): it was written by a newer version. Run that version, or restore the backup made before its upgrade. It was not changed.");
        }

        var expected = _migrations.Where(m => m.Version <= version).SelectMany(m => m.CreatesTables).ToHashSet(StringComparer.Ordinal);
        var unknown = tables.Where(t => !expected.Contains(t)).ToArray();
        if (unknown.Length > 0)
        {
            throw Problem($"is not a NaiveStrategy store (or was changed by hand): it has tables schema version {version.ToString(CultureInfo.InvariantCulture)} does not have: {List(unknown)}. It was not changed.");
        }

        var missing = expected.Where(t => !tables.Contains(t, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            throw Problem($"is damaged: tables of schema version {version.ToString(CultureInfo.InvariantCulture)} are missing: {List(missing)}. Restore it from a backup. It was not changed.");
        }

        return (int)version;
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
