using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests;

public sealed class TradeIndexTests
{
    [Property(MaxTest = 500)]
    public Property FindExit_AnyBandAndStart_EqualsLinearScan(PositiveInt length, int seed, NonNegativeInt startSeed, byte width, bool mixed)
    {
        var n = (length.Get % 3000) + 1;
        var r = new Random(seed);
        var trades = Walk(r, n, mixed);
        var index = new TradeIndex(trades);
        var start = startSeed.Get % (n + 1);
        var centre = start < n ? trades[start].Price : trades[^1].Price;
        var (low, high) = (centre - (width % 40), centre + (width % 37));
        var until = T0.AddSeconds(r.Next(n + 10)).UtcTicks;

        var expected = start;
        while (expected < n && trades[expected] is var t && t.Symbol == "XRPUSDT" && t.Price >= low && t.Price <= high && t.Time.UtcTicks < until)
        {
            expected++;
        }

        return (index.FindExit(start, "XRPUSDT", low, high, until) == expected).Label($"n {n}, start {start}, [{low}, {high}], until {until}");
    }

    [Property(MaxTest = 500)]
    public Property Summarize_AnyRange_EqualsLinearScan(PositiveInt length, int seed, NonNegativeInt fromSeed, NonNegativeInt lengthSeed)
    {
        // Steps of -2..2 on a coarse grid make equal prices (and equal drops) common: first occurrences are what is tested.
        var n = (length.Get % 3000) + 1;
        var r = new Random(seed);
        var trades = Walk(r, n, mixed: false);

        var from = fromSeed.Get % n;
        var to = from + 1 + (lengthSeed.Get % (n - from));

        var actual = new TradeIndex(trades).Summarize(from, to);

        var expected = Scan(trades, from, to);
        return (actual == expected).Label($"n {n}, [{from}, {to}): {actual} != {expected}");
    }

    // An index over a catalog's columns compares the stored integers: the same exits and runs as over the trades, with
    // bounds of any precision (between two prices, on a price, beyond long's range) and times between two microseconds.
    [Property(MaxTest = 500)]
    public Property FindExitAndSummarize_OverColumns_EqualTheIndexOverTrades(PositiveInt length, int seed, NonNegativeInt startSeed, byte width, byte digits)
    {
        var n = (length.Get % 3000) + 1;
        var r = new Random(seed);
        using var columns = ColumnData.Columns(Walk(r, n, mixed: false).Select(t => t with { Price = (t.Price + 300m) / 64m }).ToArray());
        var trades = ColumnData.Trades(columns);
        var (overColumns, overTrades) = (TradeIndex.Of(columns), new TradeIndex(trades));
        var start = startSeed.Get % (n + 1);
        var centre = start < n ? trades[start].Price : trades[^1].Price;
        var shift = new decimal(r.Next(), 0, 0, r.Next(2) == 0, (byte)(digits % 21));
        var (low, high) = (centre - (width % 40 / 64m) + shift, centre + (width % 37 / 64m) + shift);
        (low, high) = digits % 17 == 0 ? (decimal.MinValue, decimal.MaxValue) : (low, high);
        var until = T0.AddSeconds(r.Next(n + 10)).UtcTicks + r.Next(10);

        var exit = overColumns.FindExit(start, "XRPUSDT", low, high, until);
        var expected = overTrades.FindExit(start, "XRPUSDT", low, high, until);
        var other = overColumns.FindExit(start, "ADAUSDT", low, high, until);
        var (from, to) = (Math.Min(start, n - 1), Math.Max(Math.Min(start, n - 1) + 1, exit));
        return (exit == expected && other == Math.Min(start, n) && overColumns.Summarize(from, to) == overTrades.Summarize(from, to)
                && overColumns.PriceBound is not null && overColumns.Trades.ToArray().SequenceEqual(trades))
            .Label($"n {n}, start {start}, [{low}, {high}], until {until}: {exit} != {expected}");
    }

    [Fact]
    public void Summarize_DropAcrossNodes_StartsAtFirstHighAndEndsAtFirstLow()
    {
        // 100 for 40 trades, 103 at 40 and 45, 99 at 70 and 90 (the drop 103 → 99 spans three leaf nodes), 101 at 100.
        var prices = Enumerable.Repeat(100m, 120).ToArray();
        (prices[40], prices[45], prices[70], prices[90], prices[100]) = (103m, 103m, 99m, 99m, 101m);
        var trades = prices.Select((p, i) => new TradeEvent("XRPUSDT", i, p, 1m, T0.AddSeconds(i))).ToArray();

        var run = new TradeIndex(trades).Summarize(10, 120);

        run.Should().Be(new PriceSpan<decimal>(99m, 70, 103m, 40, 4m, 40, 70, 3m, 10, 40));
    }

    [Fact]
    public void Merge_DropAcrossTwoRuns_BeatsEachRunsOwn()
    {
        // Left: 10 → 12 → 11 (drop 1, rise 2); right: 13 → 7 → 9 (drop 6, rise 2). Across: 12 → 7 is 5 < 6, but
        // the right's own drop starts at 13, above the left's high, so it stays; the rise across 10 → 13 is 3.
        var left = Merge(PriceSpan.Of(10m, 0), PriceSpan.Of(12m, 1), PriceSpan.Of(11m, 2));
        var right = Merge(PriceSpan.Of(13m, 3), PriceSpan.Of(7m, 4), PriceSpan.Of(9m, 5));

        var run = PriceSpan.Merge(left, right);

        run.Should().Be(new PriceSpan<decimal>(7m, 4, 13m, 3, 6m, 3, 4, 3m, 0, 3));
    }

    [Fact]
    public void Merge_EqualDropAcrossAndWithin_TakesEarlierEnd()
    {
        // Left high 12 at 0; right: 12 at 1 (equal, not a new peak), 8 at 2. Drop 4 either way: it starts at the
        // left's 12, the first of the equal highs, as the full replay keeps its first peak.
        var run = PriceSpan.Merge(PriceSpan.Of(12m, 0), PriceSpan.Merge(PriceSpan.Of(12m, 1), PriceSpan.Of(8m, 2)));

        run.Should().Be(new PriceSpan<decimal>(8m, 2, 12m, 0, 4m, 0, 2, 0m, -1, -1));
    }

    [Fact]
    public void PriceBound_MixedScales_IsLargestAtFinestScale()
    {
        var trades = new[] { new TradeEvent("XRPUSDT", 1, 0.5m, 1m, T0), new TradeEvent("XRPUSDT", 2, 2.125m, 1m, T0), new TradeEvent("XRPUSDT", 3, 1.0000m, 1m, T0) };

        var bound = new TradeIndex(trades).PriceBound;

        bound.Should().Be(2.125m);
        bound!.Value.Scale.Should().Be(4);
    }

    [Fact]
    public void PriceBound_DifferencesWouldRound_IsNull()
    {
        var trades = new[] { new TradeEvent("XRPUSDT", 1, 7_900_000_000_000_000_000_000_000_000m, 1m, T0), new TradeEvent("XRPUSDT", 2, 0.5m, 1m, T0) };

        new TradeIndex(trades).PriceBound.Should().BeNull();
    }

    [Fact]
    public void FindExit_EmptyIndex_ReturnsZero()
    {
        new TradeIndex(ReadOnlyMemory<TradeEvent>.Empty).FindExit(0, "XRPUSDT", 0m, 1m, long.MaxValue).Should().Be(0);
    }

    [Fact]
    public void FindExit_StartPastEnd_Throws()
    {
        var act = () => new TradeIndex(new[] { new TradeEvent("XRPUSDT", 1, 1m, 1m, T0) }).FindExit(2, "XRPUSDT", 0m, 2m, long.MaxValue);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static PriceSpan<decimal> Merge(params PriceSpan<decimal>[] runs) => runs.Aggregate((a, b) => PriceSpan.Merge(a, b));

    // One pass, the plain way: the running high and low at their first occurrences, a drop or rise kept when larger.
    private static PriceSpan<decimal> Scan(TradeEvent[] trades, int from, int to)
    {
        var (low, lowAt, high, highAt) = (trades[from].Price, from, trades[from].Price, from);
        var (drop, dropFrom, dropAt, rise, riseFrom, riseAt) = (0m, -1, -1, 0m, -1, -1);
        for (var j = from + 1; j < to; j++)
        {
            var p = trades[j].Price;
            if (high - p > drop)
            {
                (drop, dropFrom, dropAt) = (high - p, highAt, j);
            }

            if (p - low > rise)
            {
                (rise, riseFrom, riseAt) = (p - low, lowAt, j);
            }

            if (p < low)
            {
                (low, lowAt) = (p, j);
            }

            if (p > high)
            {
                (high, highAt) = (p, j);
            }
        }

        return new PriceSpan<decimal>(low, lowAt, high, highAt, drop, dropFrom, dropAt, rise, riseFrom, riseAt);
    }

    // A walk of n trades from 100 in steps of -2..2 (equal prices common), one second apart; with mixed, about one in
    // 500 is another symbol's.
    private static TradeEvent[] Walk(Random r, int n, bool mixed)
    {
        var trades = new TradeEvent[n];
        var price = 100m;
        for (var i = 0; i < n; i++)
        {
            price += r.Next(-2, 3);
            trades[i] = new TradeEvent(mixed && r.Next(500) == 0 ? "ADAUSDT" : "XRPUSDT", i, price, 1m, T0.AddSeconds(i));
        }

        return trades;
    }
}
