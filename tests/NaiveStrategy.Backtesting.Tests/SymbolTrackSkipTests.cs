using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests;

/// <summary>Marking a run of trades from its <see cref="PriceSpan"/> equals marking each of them, long or short.</summary>
public sealed class SymbolTrackSkipTests
{
    [Property(MaxTest = 500)]
    public Property SkipSpan_AnyWalkLongOrShort_EqualsMarkingEachTrade(int seed, bool sell, PositiveInt length, NonNegativeInt cut)
    {
        // A walk on a coarse grid (equal prices and equal falls are common), some prices written with more digits.
        var r = new Random(seed);
        var n = (length.Get % 400) + 2;
        var trades = new TradeEvent[n];
        var price = 100m;
        for (var i = 0; i < n; i++)
        {
            price = Math.Max(1m, price + (r.Next(-3, 4) * 0.25m));
            trades[i] = new TradeEvent("XRPUSDT", i, r.Next(4) == 0 ? price * 1.00m : price, 1m, T0.AddSeconds(i));
        }

        var quantity = r.Next(1, 40) + 0.5m;
        var fill = new OrderUpdate("XRPUSDT", "c1", 1, sell ? OrderSide.Sell : OrderSide.Buy, 100m, quantity, quantity, OrderStatus.Filled, 0.01m, "USDT", T0);
        var (each, spans) = (new SymbolTrack("XRPUSDT", 1000m, "XRP"), new SymbolTrack("XRPUSDT", 1000m, "XRP"));
        each.Apply(fill);
        spans.Apply(fill);
        var marked = 1 + (cut.Get % (n - 1));
        for (var i = 0; i < marked; i++)
        {
            each.Mark(trades[i], null);
            spans.Mark(trades[i], null);
        }

        var index = new TradeIndex(trades);
        var exact = spans.MarksExactly(index.PriceBound);
        for (var i = marked; i < n; i++)
        {
            each.Mark(trades[i], null);
        }

        spans.SkipSpan(index, index.Summarize(marked, n));
        spans.Skip(n - marked, trades[^1]);
        var (afterRun, expectedAfterRun) = (Figures(spans), Figures(each));

        // A last trade far on the losing side shows the peak each one holds (its drawdown is measured from it).
        var worst = new TradeEvent("XRPUSDT", n, sell ? 1000m : 1m, 1m, T0.AddSeconds(n));
        each.Mark(worst, null);
        spans.Mark(worst, null);

        static string Figures(SymbolTrack t) => $"{t.MaxDrawdown} {t.MaxDrawdownFraction} {t.Equity} {t.LastPrice} {t.Count}";
        return (exact && afterRun == expectedAfterRun && Figures(spans) == Figures(each))
            .Label($"exact {exact}; after the run {afterRun} against {expectedAfterRun}; after a loss {Figures(spans)} against {Figures(each)}");
    }

    [Fact]
    public void MarksExactly_NothingHeld_IsFalse()
    {
        var track = new SymbolTrack("XRPUSDT", 1000m, "XRP");
        track.Mark(new TradeEvent("XRPUSDT", 1, 0.5m, 1m, T0), null);

        track.MarksExactly(0.5m).Should().BeFalse("equity does not move with the price");
    }

    [Fact]
    public void MarksExactly_ProductWouldRound_IsFalse()
    {
        var track = new SymbolTrack("XRPUSDT", 1000m, "XRP");
        var quantity = 1.2345678901234567m;
        track.Apply(new OrderUpdate("XRPUSDT", "c1", 1, OrderSide.Buy, 0.5m, quantity, quantity, OrderStatus.Filled, 0m, "USDT", T0));
        track.Mark(new TradeEvent("XRPUSDT", 1, 0.5m, 1m, T0), null);

        track.MarksExactly(0.5000000000000m).Should().BeFalse("16 + 13 decimals exceed a decimal's 28");
        track.MarksExactly(0.5000m).Should().BeTrue();
    }
}
