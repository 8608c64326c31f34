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
        var trades = new TradeEvent[n];
        var price = 100m;
        for (var i = 0; i < n; i++)
        {
            price += r.Next(-2, 3);
            trades[i] = new TradeEvent(mixed && r.Next(500) == 0 ? "ADAUSDT" : "XRPUSDT", i, price, 1m, T0.AddSeconds(i));
        }

        var index = new TradeIndex(trades);
        var start = startSeed.Get % (n + 1);
        var centre = start < n ? trades[start].Price : price;
        var (low, high) = (centre - (width % 40), centre + (width % 37));
        var until = T0.AddSeconds(r.Next(n + 10)).UtcTicks;

        var expected = start;
        while (expected < n && trades[expected] is var t && t.Symbol == "XRPUSDT" && t.Price >= low && t.Price <= high && t.Time.UtcTicks < until)
        {
            expected++;
        }

        return (index.FindExit(start, "XRPUSDT", low, high, until) == expected).Label($"n {n}, start {start}, [{low}, {high}], until {until}");
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
}
