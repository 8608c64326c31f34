using System.Globalization;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>Options of <see cref="TradeFileReader"/>.</summary>
public sealed class TradeFileReaderOptions
{
    /// <summary>The symbol of every file; when null it comes from each file name (<c>XRPUSDT-trades-2024-01-01.csv</c>) or, in the book's format, from the symbol column.</summary>
    public string? Symbol { get; set; }

    /// <summary>Count and report malformed lines instead of stopping at the first.</summary>
    public bool SkipBadLines { get; set; }

    /// <summary>The first UTC day to replay: earlier daily files, monthly files and catalog days are not opened, earlier trades are skipped.</summary>
    public DateOnly? From { get; set; }

    /// <summary>The last UTC day to replay (inclusive): later files and catalog days are not opened, later trades are skipped.</summary>
    public DateOnly? To { get; set; }

    // The trades kept: UTC ticks in [FromTicks, ToTicks).
    internal long FromTicks => From is { } from ? from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks : long.MinValue;

    internal long ToTicks => To is { } to ? to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks : long.MaxValue;

    /// <summary>How many bad-line messages <see cref="TradeFileDiagnostics.Messages"/> keeps.</summary>
    public int MaxMessages { get; set; } = 10;
}

/// <summary>What a trade file holds.</summary>
public enum TradeFileKind
{
    /// <summary>Every trade (<c>SYMBOL-trades-…</c>: id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch).</summary>
    Trades,

    /// <summary>Aggregate trades (<c>SYMBOL-aggTrades-…</c>: the trades of one taker order at one price summed into one row).</summary>
    AggTrades,
}

/// <summary>What a read met besides trades: files read, lines skipped and why.</summary>
public sealed class TradeFileDiagnostics
{
    private readonly List<string> _messages = [];
    private readonly Dictionary<string, long> _reasons = new(StringComparer.Ordinal);
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

    /// <summary>Skipped lines by reason (e.g. "price not positive"), most frequent first, then by reason.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> SkippedByReason
    {
        get
        {
            lock (_messages)
            {
                return [.. _reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary><c>skipped lines: 3 (price not positive 2, duplicate id 1)</c>, or null when nothing was skipped.</summary>
    public string? SkippedSummary
    {
        get
        {
            var reasons = SkippedByReason;
            return reasons.Count == 0
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"skipped lines: {SkippedLines} ({string.Join(", ", reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")))})");
        }
    }

    /// <summary>Bytes of trade data read so far (uncompressed), for progress.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    internal void Skip(TradeFileFormatException problem, int maxMessages)
    {
        Interlocked.Increment(ref _skipped);
        lock (_messages)
        {
            _reasons[problem.Reason] = _reasons.GetValueOrDefault(problem.Reason) + 1;
            if (_messages.Count < maxMessages)
            {
                _messages.Add(problem.Message);
            }
        }
    }

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesRead, count);
}
