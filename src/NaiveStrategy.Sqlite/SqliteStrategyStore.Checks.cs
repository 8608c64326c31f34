using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace NaiveStrategy.Sqlite;

// Checking a file before anything is written to it: orphan and rollback journals, read-only files, a write-ahead log
// that is not the file's own, the header, integrity, that it is a NaiveStrategy store and its schema version.
public sealed partial class SqliteStrategyStore
{
    // A WAL or rollback journal without its database means the file was deleted or moved while the
    // engine had unsaved pages in the journal. SQLite would replay that journal into a new file of the
    // same name, so creating one here could corrupt it or resurrect stale state.
    private void RefuseOrphanJournals()
    {
        foreach (var journal in new[] { Path + "-wal", Path + "-journal" })
        {
            if (File.Exists(journal))
            {
                throw Problem($"does not exist but its journal {journal} does: the database was deleted or moved while in use. Put the database back beside it, or move the journal away to start with no saved state. No store was created.");
            }
        }
    }

    // Root may write a file without write permission, so the attribute is checked too, not only what
    // SQLite manages to open: a store marked read-only is not meant to be written.
    private void RefuseReadOnly()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            if (File.Exists(file) && File.GetAttributes(file).HasFlag(FileAttributes.ReadOnly))
            {
                var which = file == Path ? "it is read-only" : $"{file} beside it is read-only";
                throw Problem($"cannot be written: {which} (read-only attribute, or no write permission). The engine could not save its state, so it is not used. Make it writable, or read it with status. It was not changed.");
            }
        }
    }

    // A store writes a write-ahead log, never a rollback journal; SQLite would roll one back into the
    // file on opening, so one beside the file is not opened over.
    private void RefuseRollbackJournal()
    {
        var journal = Path + "-journal";
        if (File.Exists(journal) && new FileInfo(journal).Length > 0)
        {
            throw Problem($"has a rollback journal {journal} beside it, which this store never writes (it uses a write-ahead log): it belongs to another program or another file, and SQLite would roll it back into this one on opening. Neither file was changed. Move {journal} away if it does not belong here, or restore the store from a backup.");
        }
    }

    // A write-ahead log left by a process that did not close the store (kill -9, power loss) holds its
    // last commits, and SQLite replays it when the file is opened. A log that is not this file's
    // (restored or copied beside it) would be replayed just the same, changing the file before any
    // check could refuse it. So the log is replayed into a copy first and the copy checked.
    private void CheckWriteAheadLog()
    {
        if (!HasWriteAheadLog())
        {
            return;
        }

        // One name, since only the lock's holder checks: a copy left by a crash is replaced.
        using var snapshot = TakeSnapshot(Path + ".check");
        using var copy = OpenSnapshot(snapshot, allowOlder: true);
        Log.WriteAheadLogChecked(_logger, Path, new FileInfo(Path + "-wal").Length);
    }

    private bool HasWriteAheadLog() => File.Exists(Path + "-wal") && new FileInfo(Path + "-wal").Length > 0;

    private StoreSnapshot TakeSnapshot(string directory)
    {
        try
        {
            return StoreSnapshot.Take(Path, directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Problem($"could not be copied to {directory} to be checked before opening ({ex.Message}). It was not changed.", ex);
        }
    }

    // Opens a copy and checks it; when the copy has a write-ahead log and fails, tells whether the log
    // or the file is at fault by checking the file alone (immutable: SQLite then reads it as it is,
    // ignoring the log, and creates nothing).
    private SqliteConnection OpenSnapshot(StoreSnapshot snapshot, bool allowOlder)
    {
        var withLog = File.Exists(snapshot.Path + "-wal");
        SqliteConnection? connection = null;
        StoreProblem? problem;
        try
        {
            connection = Open(snapshot.Path, SqliteOpenMode.ReadWrite);
            problem = Inspect(connection, allowOlder, out _);
        }
        catch (SqliteException ex)
        {
            problem = new StoreProblem($"cannot be read ({ex.Message})");
        }

        if (problem is null)
        {
            return connection!;
        }

        connection?.Dispose();
        if (!withLog)
        {
            throw Problem(problem.Message("It was not changed."));
        }

        var wal = Path + "-wal";
        StoreProblem? alone;
        try
        {
            using var original = OpenImmutable(Path);
            alone = Inspect(original, allowOlder, out _);
        }
        catch (SqliteException ex)
        {
            alone = new StoreProblem($"cannot be read ({ex.Message})");
        }

        throw alone is null
            ? Problem($"has a write-ahead log {wal} that does not belong to it or is damaged: replayed into a copy, it leaves a file that {problem.Diagnosis}. Neither file was changed. Without the log the file is sound as of its last checkpoint: move {wal} away to open it so (what only the log holds is lost), or restore both from a backup.")
            : Problem($"is damaged with or without its write-ahead log {wal}: with the log it {problem.Diagnosis}; without it, it {alone.Diagnosis}. Restore it from a backup. Neither file was changed.");
    }

    // immutable=1 is a URI parameter only. In a SQLite URI only '%', '?' and '#' are special in the
    // path; everything else, spaces and non-ASCII included, is taken as it is.
    private static SqliteConnection OpenImmutable(string path)
    {
        var uri = new StringBuilder("file://");
        if (OperatingSystem.IsWindows())
        {
            uri.Append('/');
            path = path.Replace('\\', '/');
        }

        foreach (var c in path)
        {
            _ = c is '%' or '?' or '#' ? uri.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)) : uri.Append(c);
        }

        return Open(uri.Append("?immutable=1").ToString(), SqliteOpenMode.ReadOnly);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Deleted by the next creation.
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

    private int InspectOrThrow(SqliteConnection connection, bool allowOlder)
    {
        var problem = Inspect(connection, allowOlder, out var version);
        return problem is null ? version : throw Problem(problem.Message("It was not changed."));
    }

    // Read-only checks: nothing is written to a file that fails them.
    private StoreProblem? Inspect(SqliteConnection connection, bool allowOlder, out int schemaVersion)
    {
        schemaVersion = 0;
        List<string> integrity;
        List<string> tables;
        try
        {
            integrity = QueryStrings(connection, "PRAGMA quick_check;");
            tables = QueryStrings(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name;");
        }
        catch (SqliteException ex)
        {
            return new StoreProblem($"is corrupt or not a database ({ex.Message})", "Restore it from a backup.");
        }

        if (integrity is not ["ok"])
        {
            return new StoreProblem($"is corrupt (integrity check: {string.Join("; ", integrity.Take(3))})", "Restore it from a backup.");
        }

        if (!tables.Contains("schema_version", StringComparer.Ordinal))
        {
            return new StoreProblem($"is a SQLite database but not a NaiveStrategy store: it has no schema_version table (tables: {List(tables)})");
        }

        long version;
        try
        {
            var value = QueryStrings(connection, "SELECT MAX(version) FROM schema_version;").Single();
            version = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        }
        catch (SqliteException ex)
        {
            return new StoreProblem($"is a SQLite database but not a NaiveStrategy store: its schema_version table is not ours ({ex.Message})");
        }

        if (version < 1)
        {
            return new StoreProblem("is not a usable NaiveStrategy store: its schema_version table holds no version");
        }

        var inv = CultureInfo.InvariantCulture;
        if (version > SchemaVersion)
        {
            return new StoreProblem($"has schema version {version.ToString(inv)}, newer than this NaiveStrategy.Sqlite knows ({SchemaVersion.ToString(inv)}): it was written by a newer version", "Run that version, or restore the backup made before its upgrade.");
        }

        var expected = _migrations.Where(m => m.Version <= version).SelectMany(m => m.CreatesTables).ToHashSet(StringComparer.Ordinal);
        var unknown = tables.Where(t => !expected.Contains(t)).ToArray();
        if (unknown.Length > 0)
        {
            return new StoreProblem($"is not a NaiveStrategy store (or was changed by hand): it has tables schema version {version.ToString(inv)} does not have: {List(unknown)}");
        }

        var missing = expected.Where(t => !tables.Contains(t, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            return new StoreProblem($"is damaged: tables of schema version {version.ToString(inv)} are missing: {List(missing)}", "Restore it from a backup.");
        }

        if (version < SchemaVersion && !allowOlder)
        {
            return new StoreProblem($"has schema version {version.ToString(inv)}, older than this version reads ({SchemaVersion.ToString(inv)})", "Open it for writing once (start live on it) to migrate it.");
        }

        schemaVersion = (int)version;
        return null;
    }
}
