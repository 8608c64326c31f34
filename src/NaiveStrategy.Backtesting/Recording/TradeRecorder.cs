using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NaiveStrategy.Backtesting.Recording;

/// <summary>
/// Records the market trades a running engine receives as Binance public-data trade files
/// (<c>XRPUSDT-trades-2024-01-01.csv</c>: no header, <c>id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch</c>,
/// milliseconds before 2025 and microseconds from 2025 as Binance writes them), one file per symbol and UTC day of the
/// trade's time, appended and flushed at least once a second, so <c>backtest --trades DIR</c> replays them as they are.
/// Trades missing from the recording (trade ids that jump: a stream that dropped and came back, or trades the recorder
/// had to drop) are never invented: each jump is a row of <c>SYMBOL-gaps.csv</c> beside them.
/// Recording never blocks the caller: trades go through a bounded queue to one writer task; a full queue drops the
/// trade and counts it (<see cref="Dropped"/>). A directory that cannot be written (full disk, no permission) is a
/// warning, <see cref="Problem"/> says why, and the recorder tries again a few seconds later; trading goes on.
/// </summary>
public sealed partial class TradeRecorder : IAsyncDisposable
{
    /// <summary>How a gap sidecar's name ends (<c>XRPUSDT-gaps.csv</c>); trade readers skip these files.</summary>
    public const string GapsSuffix = "-gaps.csv";

    /// <summary>The gap sidecar's header line.</summary>
    public const string GapsHeader = "from,to,after_trade_id,before_trade_id,missing_trades,reason";

    private static readonly DateTimeOffset Microseconds = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Channel<TradeEvent> _queue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SymbolFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecentTrades> _recent = new(StringComparer.Ordinal);
    private readonly Task _writer;
    private long _dropped;
    private long _written;
    private long _lost;
    private long _marksLost;
    private string? _problem;
    private DateTimeOffset _retryAt;

    /// <summary>Creates the recorder and starts its writer; the directory is created on the first trade.</summary>
    /// <param name="directory">Where the files go, e.g. <c>recordings</c>.</param>
    /// <param name="timeProvider">The clock for flushes and retries; the system clock when null.</param>
    /// <param name="logger">Where a directory that cannot be written is reported (a warning); nowhere when null.</param>
    /// <param name="capacity">Trades queued for the writer before new ones are dropped (and counted).</param>
    public TradeRecorder(string directory, TimeProvider? timeProvider = null, ILogger<TradeRecorder>? logger = null, int capacity = 65_536)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Directory = Path.GetFullPath(directory);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _queue = Channel.CreateBounded<TradeEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>The directory the files are written to (full path).</summary>
    public string Directory { get; }

    /// <summary>Trades dropped because the writer's queue was full (each is inside a recorded gap).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Trades written to the files so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Trades that could not be written (the directory could not be written then).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Run marks the state file's journal refused (see <see cref="RunMark"/>); parity reports lack them.</summary>
    public long MarksLost => Interlocked.Read(ref _marksLost);

    /// <summary>Why the recording cannot write now (a full disk, a directory without permission), or null when it can.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>The last trade received for <paramref name="symbol"/>, or null before the first.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <returns>The trade.</returns>
    public TradeEvent? LastTrade(string symbol) => _recent.TryGetValue(symbol, out var recent) ? recent.Last : null;

    /// <summary>
    /// The latest trade received for <paramref name="symbol"/> at <paramref name="time"/> and <paramref name="price"/>
    /// among the last few thousand: the trade a decision was made on, when the decision keeps its time and price
    /// (trades received since may already be queued behind it). Null when none is that recent.
    /// </summary>
    internal TradeEvent? Received(string symbol, DateTimeOffset time, decimal price) =>
        _recent.TryGetValue(symbol, out var recent) ? recent.Find(time, price) : null;

    /// <summary>Queues a trade for the files; never waits. Returns false when the queue was full and the trade was dropped.</summary>
    /// <param name="trade">The trade, as the engine received it.</param>
    /// <returns>Whether it was queued.</returns>
    public bool Record(in TradeEvent trade)
    {
        (_recent.TryGetValue(trade.Symbol, out var recent) ? recent : _recent.GetOrAdd(trade.Symbol, _ => new RecentTrades())).Add(trade);
        if (_queue.Writer.TryWrite(trade))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    internal void MarkFailed(string reason)
    {
        if (Interlocked.Increment(ref _marksLost) == 1)
        {
            Log.MarkFailed(_logger, reason);
        }
    }

    /// <summary>Writes what is queued, flushes and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        var flushedAt = _time.GetUtcNow();
        try
        {
            while (true)
            {
                while (reader.TryRead(out var trade))
                {
                    Write(trade);
                    if (_time.GetUtcNow() - flushedAt >= FlushEvery)
                    {
                        FlushAll();
                        flushedAt = _time.GetUtcNow();
                    }
                }

                // Idle: everything received is on disk before waiting for more.
                FlushAll();
                flushedAt = _time.GetUtcNow();
                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            foreach (var file in _files.Values)
            {
                file.Close();
            }
        }
    }

    private void Write(in TradeEvent trade)
    {
        var file = _files.TryGetValue(trade.Symbol, out var known) ? known : _files[trade.Symbol] = new SymbolFile(trade.Symbol);
        if (file.LastId is { } lastId && trade.TradeId <= lastId)
        {
            return; // a duplicate (a stream handed over to a new connection): recorded once
        }

        if (_problem is not null && _time.GetUtcNow() < _retryAt)
        {
            Interlocked.Increment(ref _lost);
            file.Unwritten = true;
            return;
        }

        try
        {
            var day = DateOnly.FromDateTime(trade.Time.UtcDateTime);
            if (file.Day != day || file.Trades is null)
            {
                file.Open(Directory, day);
                if (file.LastId is { } before && trade.TradeId <= before)
                {
                    return; // recorded by the run before this one
                }
            }

            if (file.LastId is { } previous && (trade.TradeId != previous + 1 || file.Unwritten))
            {
                var reason = file.Unwritten ? "not written (the recording could not write)" : Dropped > file.DroppedSeen ? "dropped by the recorder (queue full)"
                    : file.Resumed ? "between runs (the recording started again)" : "stream";
                file.Gap(file.LastTime, trade.Time, previous, trade.TradeId, reason);
            }

            file.DroppedSeen = Dropped;
            file.Append(trade);
            file.LastId = trade.TradeId;
            file.LastTime = trade.Time;
            file.Unwritten = false;
            file.Resumed = false;
            Interlocked.Increment(ref _written);
            if (_problem is not null)
            {
                Volatile.Write(ref _problem, null);
                Log.Resumed(_logger, Directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _lost);
            file.Close();
            file.Unwritten = true;
            var problem = $"the recording directory {Directory} cannot be written: {ex.Message}";
            if (_problem is null)
            {
                Log.CannotWrite(_logger, Directory, ex.Message);
            }

            Volatile.Write(ref _problem, problem);
            _retryAt = _time.GetUtcNow() + RetryAfter;
        }
    }

    private void FlushAll()
    {
        foreach (var file in _files.Values)
        {
            try
            {
                file.Flush();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                file.Close();
                file.Unwritten = true;
                if (_problem is null)
                {
                    Log.CannotWrite(_logger, Directory, ex.Message);
                }

                Volatile.Write(ref _problem, $"the recording directory {Directory} cannot be written: {ex.Message}");
                _retryAt = _time.GetUtcNow() + RetryAfter;
            }
        }
    }

    /// <summary>One trade as a public-data line.</summary>
    internal static string Line(in TradeEvent trade)
    {
        var inv = CultureInfo.InvariantCulture;
        var time = trade.Time >= Microseconds
            ? (trade.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10
            : trade.Time.ToUnixTimeMilliseconds();
        return string.Create(inv, $"{trade.TradeId},{trade.Price},{trade.Quantity},{trade.Price * trade.Quantity},{time},{(trade.IsBuyerMaker ? "True" : "False")},True");
    }

    // The last trades received for a symbol, newest last: written by the stream's thread, read by the engine's loop.
    private sealed class RecentTrades
    {
        private const int Capacity = 4096;
        private readonly TradeEvent[] _ring = new TradeEvent[Capacity];
        private readonly Lock _gate = new();
        private long _count;

        public TradeEvent? Last
        {
            get
            {
                lock (_gate)
                {
                    return _count == 0 ? null : _ring[(_count - 1) % Capacity];
                }
            }
        }

        public void Add(in TradeEvent trade)
        {
            lock (_gate)
            {
                _ring[_count++ % Capacity] = trade;
            }
        }

        public TradeEvent? Find(DateTimeOffset time, decimal price)
        {
            lock (_gate)
            {
                for (var i = _count - 1; i >= Math.Max(0, _count - Capacity); i--)
                {
                    ref readonly var trade = ref _ring[i % Capacity];
                    if (trade.Time == time && trade.Price == price)
                    {
                        return trade;
                    }

                    if (trade.Time < time)
                    {
                        return null;
                    }
                }

                return null;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The trade recording cannot write to {Directory}: {Reason}. Trading goes on; trades are not recorded until it can (recorded as a gap).")]
        public static partial void CannotWrite(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "A run mark could not be written to the state file: {Reason}. Parity reports of this run lack it.")]
        public static partial void MarkFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The trade recording writes to {Directory} again.")]
        public static partial void Resumed(ILogger logger, string directory);
    }
}
