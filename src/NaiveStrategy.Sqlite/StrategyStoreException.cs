namespace NaiveStrategy.Sqlite;

/// <summary>
/// The store file cannot be used as it is (another process writes it, it is corrupt, not a NaiveStrategy
/// store, written by a newer version, read-only, or a write failed). The message names the file and the
/// problem; the file is left as it was.
/// </summary>
public sealed class StrategyStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StrategyStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StrategyStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StrategyStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a file.</summary>
    /// <param name="path">Full path of the store file.</param>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StrategyStoreException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>Full path of the store file concerned, when known.</summary>
    public string? Path { get; }
}
