using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Sqlite;

// Event ids 3001+ so they never collide with the engine's.
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "Created a new strategy store {Path} (schema version {Version})")]
    public static partial void Created(ILogger logger, string path, int version);

    [LoggerMessage(3002, LogLevel.Information, "Opened the strategy store {Path} (schema version {Version})")]
    public static partial void Opened(ILogger logger, string path, int version);

    [LoggerMessage(3003, LogLevel.Warning, "Migrated the strategy store {Path} from schema version {From} to {To}; the file before is backed up at {BackupPath}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to, string backupPath);

    [LoggerMessage(3004, LogLevel.Information, "Opened the strategy store {Path} read-only, {How}")]
    public static partial void OpenedReadOnly(ILogger logger, string path, string how);

    [LoggerMessage(3005, LogLevel.Warning, "The strategy store {Path} was not closed by its last writer: its write-ahead log ({Bytes} bytes) replays soundly on a copy and is replayed")]
    public static partial void WriteAheadLogChecked(ILogger logger, string path, long bytes);
}
