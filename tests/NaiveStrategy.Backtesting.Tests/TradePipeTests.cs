namespace NaiveStrategy.Backtesting.Tests;

public sealed class TradePipeTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static IEnumerable<TradeEvent> Trades(int count, int failAt = -1)
    {
        for (var i = 1; i <= count; i++)
        {
            if (i == failAt)
            {
                throw new InvalidDataException($"bad line {i}");
            }

            yield return new TradeEvent("XRPUSDT", i, 0.5m + (i % 100 * 0.0001m), 1m, T0.AddMilliseconds(i));
        }
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(1, 7)]
    [InlineData(7, 7)]
    [InlineData(8, 7)]
    [InlineData(100_000, 4096)]
    public void Run_AnyLength_HandsEveryTradeOnceInOrder(int count, int batchSize)
    {
        var seen = new List<long>();
        var handled = TradePipe.Run(Trades(count), b => seen.AddRange(b.ToArray().Select(t => t.TradeId)), batchSize, depth: 3);

        handled.Should().Be(count);
        seen.Should().Equal(Enumerable.Range(1, count).Select(i => (long)i));
    }

    [Fact]
    public void Run_SameTrades_SameBatchesAsSequential()
    {
        var piped = new List<TradeEvent>();
        var sequential = new List<TradeEvent>();

        TradePipe.Run(Trades(20_000), b => piped.AddRange(b.ToArray()), 333, 4);
        TradePipe.RunSequential(Trades(20_000), b => sequential.AddRange(b.ToArray()), 333);

        piped.Should().Equal(sequential);
    }

    [Fact]
    public void Run_SourceThrows_HandlesTradesBeforeThenThrowsOnCallerThread()
    {
        var seen = new List<long>();
        var caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();

        var run = () => TradePipe.Run(Trades(10_000, failAt: 5_001), b =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            seen.AddRange(b.ToArray().Select(t => t.TradeId));
        }, 64, 2);

        run.Should().Throw<InvalidDataException>().WithMessage("bad line 5001");
        seen.Should().Equal(Enumerable.Range(1, 5_000).Select(i => (long)i));
        threads.Should().Equal(caller);
    }

    [Fact]
    public void RunSequential_SourceThrows_HandlesTradesBeforeThenThrows()
    {
        var seen = new List<long>();

        var run = () => TradePipe.RunSequential(Trades(10_000, failAt: 5_001), b => seen.AddRange(b.ToArray().Select(t => t.TradeId)), 64);

        run.Should().Throw<InvalidDataException>();
        seen.Should().HaveCount(5_000);
    }

    [Fact]
    public void Run_HandlerThrows_StopsTheReaderAndRethrows()
    {
        var produced = 0;
        IEnumerable<TradeEvent> Counting()
        {
            foreach (var t in Trades(1_000_000))
            {
                produced++;
                yield return t;
            }
        }

        var run = () => TradePipe.Run(Counting(), _ => throw new InvalidOperationException("strategy failed"), 100, 3);

        run.Should().Throw<InvalidOperationException>().WithMessage("strategy failed");
        produced.Should().BeLessThan(1_000, "the reader waits for free batches (back-pressure) and stops with the handler");
    }

    [Fact]
    public void Run_SlowHandler_ReaderStaysAtMostDepthBatchesAhead()
    {
        var produced = 0;
        var maxAhead = 0L;
        long handled = 0;
        IEnumerable<TradeEvent> Counting()
        {
            foreach (var t in Trades(5_000))
            {
                Interlocked.Increment(ref produced);
                yield return t;
            }
        }

        TradePipe.Run(Counting(), b =>
        {
            Thread.Sleep(1);
            maxAhead = Math.Max(maxAhead, Volatile.Read(ref produced) - handled);
            handled += b.Length;
        }, 100, 3);

        handled.Should().Be(5_000);
        maxAhead.Should().BeLessThanOrEqualTo(4 * 100, "three batches in the ring plus the one being filled");
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var run = () => TradePipe.Run(Trades(1_000_000), _ => cts.Cancel(), 100, 3, cts.Token);

        run.Should().Throw<OperationCanceledException>();
    }
}
