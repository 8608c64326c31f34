namespace NaiveStrategy.Sqlite;

/// <summary>
/// A copy of a store file and its write-ahead log in a directory of its own: SQLite may replay the
/// log into the copy, create its <c>-shm</c> beside it and checkpoint it, and the original is not
/// touched. Taken only while no writer can change the files. The directory goes with <see cref="Dispose"/>.
/// </summary>
internal sealed class StoreSnapshot : IDisposable
{
    private StoreSnapshot(string directory, string path)
    {
        Directory = directory;
        Path = path;
    }

    /// <summary>The directory holding the copy.</summary>
    public string Directory { get; }

    /// <summary>The copy of the store file.</summary>
    public string Path { get; }

    /// <summary>Copies the store file and, when there is one, its write-ahead log into a new directory.</summary>
    /// <param name="storePath">The store file.</param>
    /// <param name="directory">The directory for the copy, replacing one of that name (deleted by <see cref="Dispose"/>).</param>
    public static StoreSnapshot Take(string storePath, string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(directory);
        var snapshot = new StoreSnapshot(directory, System.IO.Path.Combine(directory, System.IO.Path.GetFileName(storePath)));
        try
        {
            File.Copy(storePath, snapshot.Path);
            if (File.Exists(storePath + "-wal"))
            {
                File.Copy(storePath + "-wal", snapshot.Path + "-wal");
            }

            return snapshot;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    /// <summary>Deletes the copy and its directory.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A copy that cannot be deleted is left where it is; it holds nothing the store needs.
        }
    }
}
