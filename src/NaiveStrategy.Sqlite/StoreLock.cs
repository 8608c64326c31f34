using System.Diagnostics;

namespace NaiveStrategy.Sqlite;

/// <summary>
/// The operating system's lock that lets one process at a time write a store: <c>state.db.lock</c>,
/// held open for the store's lifetime with <see cref="FileShare.None"/> (a share-mode lock on Windows,
/// <c>flock</c> on Unix, both per open file, so a second open in the same process is refused too).
/// The OS drops it when the process ends, even by kill -9; what stays is the file, which is never
/// deleted (deleting it would let two processes lock two different files of the same name).
/// Readers take it shared (<see cref="FileShare.Read"/>): they exclude writers, not each other.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    // A held lock with no running owner recorded is a reader, or a writer between taking the lock and
    // writing its record: both let go quickly.
    private static readonly TimeSpan UnknownHolderWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _stream;
    private readonly string? _ownerPath;

    private StoreLock(FileStream stream, string? ownerPath)
    {
        _stream = stream;
        _ownerPath = ownerPath;
    }

    /// <summary>The lock file of a store.</summary>
    public static string LockPath(string storePath) => storePath + ".lock";

    /// <summary>The record of who holds the lock for writing.</summary>
    public static string OwnerPath(string storePath) => storePath + ".owner";

    /// <summary>The message for a store another process writes, exactly as users see it.</summary>
    public static string InUse(string storePath, StoreOwner owner) =>
        $"state file {storePath} is in use by process {owner.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)} (since {StoreOwner.Display(owner.Since)})";

    /// <summary>Takes the lock for writing and records this process as its owner.</summary>
    /// <exception cref="StrategyStoreException">Another process holds it, the OS does not enforce it, or the directory is not writable.</exception>
    public static StoreLock AcquireWriter(string storePath, DateTimeOffset now)
    {
        var lockPath = LockPath(storePath);
        var ownerPath = OwnerPath(storePath);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (IsHeld(ex))
            {
                if (StoreOwner.TryRead(ownerPath) is { } owner && owner.IsRunning())
                {
                    throw new StrategyStoreException(storePath, InUse(storePath, owner), ex);
                }

                if (waited.Elapsed >= UnknownHolderWait)
                {
                    throw new StrategyStoreException(storePath, $"state file {storePath} is in use: its lock {lockPath} is held, and no running process is recorded in {ownerPath} as its writer (a reader such as status holds it, or a program that is not NaiveStrategy)", ex);
                }

                Thread.Sleep(Poll);
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StrategyStoreException(storePath, $"The strategy store {storePath} cannot be opened for writing: its lock file {lockPath} cannot be created or opened ({ex.Message}). Is its directory writable? The store was not changed.", ex);
            }

            try
            {
                RefuseUnenforced(storePath, lockPath);
                StoreOwner.Current(now).Write(ownerPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stream.Dispose();
                throw new StrategyStoreException(storePath, $"The strategy store {storePath} cannot be opened for writing: its directory {Path.GetDirectoryName(storePath)} is not writable (writing {ownerPath}: {ex.Message}), and SQLite needs to create its write-ahead log there. The store was not changed.", ex);
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return new StoreLock(stream, ownerPath);
        }
    }

    /// <summary>
    /// Takes the lock for reading, so no writer starts while it is held. Returns null when there is no
    /// lock file (no writer of this version has opened the store) or when a writer holds it
    /// (<paramref name="writerRunning"/>).
    /// </summary>
    public static StoreLock? TryAcquireReader(string storePath, out bool writerRunning)
    {
        writerRunning = false;
        try
        {
            return new StoreLock(new FileStream(LockPath(storePath), FileMode.Open, FileAccess.Read, FileShare.Read), ownerPath: null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException ex) when (IsHeld(ex))
        {
            writerRunning = true;
            return null;
        }
    }

    /// <summary>Releases the lock; a writer first removes its record, so it never names a process that no longer writes.</summary>
    public void Dispose()
    {
        if (_ownerPath is not null)
        {
            try
            {
                File.Delete(_ownerPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A record left behind names a process that is no longer running, or no longer holds
                // the lock; both are recognized, so this is not worth failing a dispose for.
            }
        }

        _stream.Dispose();
    }

    // .NET takes no lock when DOTNET_SYSTEM_IO_DISABLEFILELOCKING is set or the file system has none.
    // A second open that succeeds here would succeed in a second process too.
    private static void RefuseUnenforced(string storePath, string lockPath)
    {
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return; // refused, as a second process would be
        }

        throw new StrategyStoreException(storePath, $"The strategy store {storePath} cannot be locked against a second process: the operating system does not enforce the lock on {lockPath} (file locking is disabled by DOTNET_SYSTEM_IO_DISABLEFILELOCKING, or its file system has none), so two processes could trade on it at once. The store was not changed.");
    }

    // The lock is taken: a sharing or lock violation on Windows; on Unix .NET reports flock's
    // EWOULDBLOCK as an IOException whose HResult is the errno (11 on Linux, 35 on macOS and BSDs).
    private static bool IsHeld(IOException ex) =>
        OperatingSystem.IsWindows()
            ? (ex.HResult & 0xFFFF) is 32 or 33
            : ex.HResult == (OperatingSystem.IsLinux() || OperatingSystem.IsAndroid() ? 11 : 35);
}
