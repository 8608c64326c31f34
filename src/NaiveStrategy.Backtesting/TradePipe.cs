using System.Runtime.ExceptionServices;
using NaiveStrategy.Backtesting.Catalog;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// Replays trades in batches: reading and parsing on a dedicated thread, the handler on the caller's thread.
/// The two meet in a bounded single-producer/single-consumer ring of reused batches, so nothing is
/// allocated per trade and the reader waits when the handler is slower (back-pressure). The handler sees
/// every trade exactly once, in the source's order; an error of the source (a bad line) is thrown on the
/// caller's thread after the trades read before it were handled, as a plain loop would.
/// </summary>
public static class TradePipe
{
    /// <summary>Trades per batch handed over by default.</summary>
    public const int DefaultBatchSize = 4096;

    /// <summary>Batches in flight by default (the ring's depth).</summary>
    public const int DefaultDepth = 8;

    // Row groups in flight when a catalog is read as columns (TradeCatalog.RowGroupSize rows as written, 33 bytes a row).
    private const int ColumnDepth = 2;

    /// <summary>Reads <paramref name="trades"/> on a reader thread and hands them to <paramref name="handle"/> in batches on this thread.</summary>
    /// <param name="trades">The source; enumerated once, on the reader thread.</param>
    /// <param name="handle">Called with each batch, in order; the batch's memory is reused once it returns.</param>
    /// <param name="batchSize">Trades per batch, &gt; 0.</param>
    /// <param name="depth">Batches in flight, &gt;= 2.</param>
    /// <param name="cancellationToken">Stops both sides.</param>
    /// <returns>The trades handled.</returns>
    public static long Run(IEnumerable<TradeEvent> trades, Action<ReadOnlyMemory<TradeEvent>> handle, int batchSize = DefaultBatchSize, int depth = DefaultDepth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        return Pipelined(() => new EventReader(trades), () => new TradeEvent[batchSize], (batch, n) => handle(batch.AsMemory(0, n)), depth, cancellationToken);
    }

    /// <summary>The same batches on this thread only: read a batch, handle it, read the next.</summary>
    /// <returns>The trades handled.</returns>
    public static long RunSequential(IEnumerable<TradeEvent> trades, Action<ReadOnlyMemory<TradeEvent>> handle, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Sequential(new EventReader(trades), new TradeEvent[batchSize], (batch, n) => handle(batch.AsMemory(0, n)), cancellationToken);
    }

    /// <summary>
    /// Hands the trades to <paramref name="handle"/> as indexes (<see cref="TradeIndex"/>) for sessions that jump over quiet
    /// trades (<see cref="BacktestSession.Replay(TradeIndex)"/>). One symbol's catalog (a <see cref="TradeFileSet"/> of
    /// catalog parts) is read as its raw columns, a row group at a time, and indexed on the stored integers: a trade is built
    /// only where a session looks at it. Anything else is read in batches of <paramref name="batchSize"/> trades, each
    /// indexed on this thread. Either way the sessions see the same trades in the same order, so their results are the
    /// same to the byte.
    /// </summary>
    /// <param name="trades">The source; enumerated once, on a reader thread unless <paramref name="sequential"/>.</param>
    /// <param name="handle">Called with each index, in order; its memory is reused once it returns.</param>
    /// <param name="batchSize">Trades per batch of a source read as trades, &gt; 0.</param>
    /// <param name="depth">Batches in flight of a source read as trades, &gt;= 2.</param>
    /// <param name="sequential">Read and handle on this thread, one batch after another.</param>
    /// <param name="cancellationToken">Stops both sides.</param>
    /// <returns>The trades handled.</returns>
    public static long RunIndexed(IEnumerable<TradeEvent> trades, Action<TradeIndex> handle, int batchSize = DefaultBatchSize, int depth = DefaultDepth, bool sequential = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        if (trades is TradeFileSet set && set.ReadColumns() is { } parts)
        {
            void HandleColumns(TradeColumns columns, int n) => handle(TradeIndex.Of(columns));
            if (sequential)
            {
                using var columns = new TradeColumns();
                return Sequential(new ColumnReader(parts), columns, HandleColumns, cancellationToken);
            }

            return Pipelined(() => new ColumnReader(parts), () => new TradeColumns(), HandleColumns, ColumnDepth, cancellationToken);
        }

        void HandleEvents(TradeEvent[] batch, int n) => handle(new TradeIndex(batch.AsMemory(0, n)));
        return sequential
            ? Sequential(new EventReader(trades), new TradeEvent[batchSize], HandleEvents, cancellationToken)
            : Pipelined(() => new EventReader(trades), () => new TradeEvent[batchSize], HandleEvents, depth, cancellationToken);
    }

    private static long Pipelined<TBatch>(Func<IBatchReader<TBatch>> open, Func<TBatch> create, Action<TBatch, int> handle, int depth, CancellationToken cancellationToken)
    {
        using var ring = new Ring<TBatch>(create, depth, cancellationToken);
        var reader = new Thread(() => ring.Produce(open)) { IsBackground = true, Name = "trade reader" };
        reader.Start();
        try
        {
            return ring.Consume(handle);
        }
        finally
        {
            ring.Stop();
            reader.Join();
        }
    }

    private static long Sequential<TBatch>(IBatchReader<TBatch> reader, TBatch batch, Action<TBatch, int> handle, CancellationToken cancellationToken)
    {
        using var _ = reader;
        long count = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = reader.Fill(batch, out var more);
            if (n > 0)
            {
                // The trades before a bad one are handled first, as in the pipelined path.
                handle(batch, n);
                count += n;
            }

            reader.Error?.Throw();
            if (!more)
            {
                return count;
            }
        }
    }

    // A source read into reused batches on one thread.
    private interface IBatchReader<TBatch> : IDisposable
    {
        // Set when the source failed: the batch filled last holds the trades read before the failure.
        ExceptionDispatchInfo? Error { get; }

        // Fills the batch and returns how many trades it holds; more is false after the last.
        int Fill(TBatch batch, out bool more);
    }

    private sealed class EventReader(IEnumerable<TradeEvent> trades) : IBatchReader<TradeEvent[]>
    {
        private IEnumerator<TradeEvent>? _trades;

        public ExceptionDispatchInfo? Error { get; private set; }

        public int Fill(TradeEvent[] batch, out bool more)
        {
            _trades ??= trades.GetEnumerator();
            var n = 0;
            try
            {
                while (n < batch.Length && _trades.MoveNext())
                {
                    batch[n++] = _trades.Current;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Error = ExceptionDispatchInfo.Capture(ex);
                more = false;
                return n;
            }

            more = n == batch.Length;
            return n;
        }

        public void Dispose() => _trades?.Dispose();
    }

    private sealed class ColumnReader(CatalogColumnSequence parts) : IBatchReader<TradeColumns>
    {
        public ExceptionDispatchInfo? Error { get; private set; }

        public int Fill(TradeColumns batch, out bool more)
        {
            try
            {
                more = parts.Next(batch);
                return more ? batch.Count : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Error = ExceptionDispatchInfo.Capture(ex);
                more = false;
                return 0;
            }
        }

        public void Dispose() => parts.Dispose();
    }

    private sealed class Ring<TBatch> : IDisposable
    {
        private readonly TBatch[] _batches;
        private readonly int[] _counts;
        private readonly bool[] _more;
        private readonly SemaphoreSlim _filled;
        private readonly SemaphoreSlim _free;
        private readonly CancellationTokenSource _stop;
        private ExceptionDispatchInfo? _error;

        public Ring(Func<TBatch> create, int depth, CancellationToken cancellationToken)
        {
            _batches = new TBatch[depth];
            for (var i = 0; i < depth; i++)
            {
                _batches[i] = create();
            }

            _counts = new int[depth];
            _more = new bool[depth];
            _filled = new SemaphoreSlim(0, depth);
            _free = new SemaphoreSlim(depth, depth);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        // Reader thread: fill free batches in ring order until the source ends.
        public void Produce(Func<IBatchReader<TBatch>> open)
        {
            var token = _stop.Token;
            var slot = 0;
            try
            {
                using var reader = open();
                while (true)
                {
                    _free.Wait(token);
                    var n = reader.Fill(_batches[slot], out var more);

                    // Published with the batch: the consumer handles what came before, then throws.
                    _error = reader.Error;
                    (_counts[slot], _more[slot]) = (n, more);
                    slot = (slot + 1) % _batches.Length;
                    _filled.Release();
                    if (!more)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The consumer stopped (its error or the caller's cancellation is thrown on its side).
            }
            catch (Exception ex)
            {
                // Opening the source failed before any batch: publish an empty last batch carrying the error.
                _error = ExceptionDispatchInfo.Capture(ex);
                (_counts[slot], _more[slot]) = (0, false);
                _filled.Release();
            }
        }

        // Caller's thread: handle filled batches in ring order until the last.
        public long Consume(Action<TBatch, int> handle)
        {
            var token = _stop.Token;
            var slot = 0;
            long count = 0;
            while (true)
            {
                _filled.Wait(token);
                var n = _counts[slot];
                if (n > 0)
                {
                    handle(_batches[slot], n);
                    count += n;
                }

                if (!_more[slot])
                {
                    _error?.Throw();
                    return count;
                }

                slot = (slot + 1) % _batches.Length;
                _free.Release();
            }
        }

        public void Stop() => _stop.Cancel();

        public void Dispose()
        {
            foreach (var batch in _batches)
            {
                (batch as IDisposable)?.Dispose();
            }

            _stop.Dispose();
            _filled.Dispose();
            _free.Dispose();
        }
    }
}
