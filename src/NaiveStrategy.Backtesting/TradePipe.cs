using System.Runtime.ExceptionServices;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// Replays trades in batches: reading and parsing on a dedicated thread, the handler on the caller's thread.
/// The two meet in a bounded single-producer/single-consumer ring of reused batch arrays, so nothing is
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
        using var ring = new Ring(batchSize, depth, cancellationToken);
        var reader = new Thread(() => ring.Produce(trades)) { IsBackground = true, Name = "trade reader" };
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

    /// <summary>The same batches on this thread only: read a batch, handle it, read the next.</summary>
    /// <returns>The trades handled.</returns>
    public static long RunSequential(IEnumerable<TradeEvent> trades, Action<ReadOnlyMemory<TradeEvent>> handle, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var batch = new TradeEvent[batchSize];
        long count = 0;
        using var e = trades.GetEnumerator();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = 0;
            try
            {
                while (n < batch.Length && e.MoveNext())
                {
                    batch[n++] = e.Current;
                }
            }
            catch when (n > 0)
            {
                // The trades before the bad one are handled first, as in the pipelined path.
                handle(batch.AsMemory(0, n));
                throw;
            }

            if (n > 0)
            {
                handle(batch.AsMemory(0, n));
                count += n;
            }

            if (n < batch.Length)
            {
                return count;
            }
        }
    }

    private sealed class Ring : IDisposable
    {
        private readonly TradeEvent[][] _batches;
        private readonly int[] _counts;
        private readonly SemaphoreSlim _filled;
        private readonly SemaphoreSlim _free;
        private readonly CancellationTokenSource _stop;
        private ExceptionDispatchInfo? _error;

        public Ring(int batchSize, int depth, CancellationToken cancellationToken)
        {
            _batches = new TradeEvent[depth][];
            for (var i = 0; i < depth; i++)
            {
                _batches[i] = new TradeEvent[batchSize];
            }

            _counts = new int[depth];
            _filled = new SemaphoreSlim(0, depth);
            _free = new SemaphoreSlim(depth, depth);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        // Reader thread: fill free batches in ring order; a batch shorter than the array is the last one.
        public void Produce(IEnumerable<TradeEvent> trades)
        {
            var token = _stop.Token;
            var slot = 0;
            try
            {
                using var e = trades.GetEnumerator();
                while (true)
                {
                    _free.Wait(token);
                    var batch = _batches[slot];
                    var n = 0;
                    try
                    {
                        while (n < batch.Length && e.MoveNext())
                        {
                            batch[n++] = e.Current;
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Published with the partial batch: the consumer handles what came before, then throws.
                        _error = ExceptionDispatchInfo.Capture(ex);
                    }

                    _counts[slot] = n;
                    slot = (slot + 1) % _batches.Length;
                    _filled.Release();
                    if (n < batch.Length)
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
                _counts[slot] = 0;
                _filled.Release();
            }
        }

        // Caller's thread: handle filled batches in ring order until the short one.
        public long Consume(Action<ReadOnlyMemory<TradeEvent>> handle)
        {
            var token = _stop.Token;
            var slot = 0;
            long count = 0;
            while (true)
            {
                _filled.Wait(token);
                var n = _counts[slot];
                var batch = _batches[slot];
                if (n > 0)
                {
                    handle(batch.AsMemory(0, n));
                    count += n;
                }

                if (n < batch.Length)
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
            _stop.Dispose();
            _filled.Dispose();
            _free.Dispose();
        }
    }
}
