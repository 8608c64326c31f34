namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>
/// A trades file could not be read. The message names the file, the line when there is one
/// (<c>XRPUSDT-trades-2024-01-02.csv line 17: price 'abc' is not a decimal</c>) and what was wrong;
/// problems of the whole file have no line (<c>XRPUSDT-trades-2024-01.zip: the zip archive is damaged (…)</c>).
/// </summary>
public sealed class TradeFileFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file (for a zip, <c>archive.zip!entry.csv</c>).</param>
    /// <param name="lineNumber">1-based line number, or 0 when the problem is the whole file's.</param>
    /// <param name="problem">What was wrong, naming the offending value.</param>
    public TradeFileFormatException(string filePath, long lineNumber, string problem)
        : this(filePath, lineNumber, problem, "malformed")
    {
    }

    /// <summary>Creates the exception with a short reason, used to count skipped lines by kind.</summary>
    /// <param name="filePath">The file (for a zip, <c>archive.zip!entry.csv</c>).</param>
    /// <param name="lineNumber">1-based line number, or 0 when the problem is the whole file's.</param>
    /// <param name="problem">What was wrong, naming the offending value.</param>
    /// <param name="reason">The kind of problem without values, e.g. "price not positive".</param>
    public TradeFileFormatException(string filePath, long lineNumber, string problem, string reason)
        : base(lineNumber > 0 ? $"{Path.GetFileName(filePath)} line {lineNumber}: {problem}." : $"{Path.GetFileName(filePath)}: {problem}.")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
        Reason = reason;
    }

    /// <summary>The file (for a zip, <c>archive.zip!entry.csv</c>).</summary>
    public string FilePath { get; }

    /// <summary>1-based line number; 0 when the problem is the whole file's (empty, damaged archive).</summary>
    public long LineNumber { get; }

    /// <summary>What was wrong, e.g. "price 'abc' is not a decimal".</summary>
    public string Problem { get; }

    /// <summary>The kind of problem without values, e.g. "price not a decimal": skipped lines are counted by it.</summary>
    public string Reason { get; }
}
