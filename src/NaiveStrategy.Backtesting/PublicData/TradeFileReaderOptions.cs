namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>Options of <see cref="TradeFileReader"/>.</summary>
public sealed class TradeFileReaderOptions
{
    /// <summary>The symbol of every file; when null it comes from each file name (<c>XRPUSDT-trades-2024-01-01.csv</c>) or, in the book's format, from the symbol column.</summary>
    public string? Symbol { get; set; }

    /// <summary>Count and report malformed lines instead of stopping at the first.</summary>
    public bool SkipBadLines { get; set; }

    /// <summary>How many bad-line messages <see cref="TradeFileDiagnostics.Messages"/> keeps.</summary>
    public int MaxMessages { get; set; } = 10;
}

/// <summary>What a read met besides trades: files read, lines skipped and why.</summary>
public sealed class TradeFileDiagnostics
{
    private readonly List<string> _messages = [];
    private long _skipped;
    private long _bytesRead;

    /// <summary>Malformed lines skipped (with <see cref="TradeFileReaderOptions.SkipBadLines"/>).</summary>
    public long SkippedLines => Interlocked.Read(ref _skipped);

    /// <summary>The first messages about skipped lines.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Bytes of trade data read so far (uncompressed), for progress.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    internal void Skip(TradeFileFormatException problem, int maxMessages)
    {
        Interlocked.Increment(ref _skipped);
        lock (_messages)
        {
            if (_messages.Count < maxMessages)
            {
                _messages.Add(problem.Message);
            }
        }
    }

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesRead, count);
}
