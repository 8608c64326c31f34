namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>A line of a trades file could not be read. The message names the file, the line and what was wrong.</summary>
public sealed class TradeFileFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public TradeFileFormatException(string filePath, long lineNumber, string problem)
        : base($"{Path.GetFileName(filePath)} line {lineNumber}: {problem}.")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file (for a zip, <c>archive.zip!entry.csv</c>).</summary>
    public string FilePath { get; }

    /// <summary>1-based line number.</summary>
    public long LineNumber { get; }

    /// <summary>What was wrong, e.g. "price 'abc' is not a decimal".</summary>
    public string Problem { get; }
}
