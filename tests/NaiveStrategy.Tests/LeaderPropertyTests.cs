using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class LeaderPropertyTests
{
    // The built-in trader gets a fast path (skip every trader above QuietFrom); a custom reducer does not.
    // Both must decide exactly the same, fill by fill.
    [Property(MaxTest = 200)]
    public Property OnTrade_FastPath_DecidesLikeEveryTraderSeeingTheTrade(NonEmptyArray<int> moves, PositiveInt chunks)
    {
        var fast = new Leader(new TraderIdGenerator("p"));
        var slow = new Leader(new TraderIdGenerator("p"), Trader.Decide);
        var settings = Settings(chunks: 1 + (chunks.Get % 5), budget: 100m, buyDown: 0.002m, profit: 0.001m, rebuy: 0.01m);
        var a = fast.Start(LeaderState.Create(settings), Filters()).State;
        var b = slow.Start(LeaderState.Create(settings), Filters()).State;
        var price = 1.0m;
        long id = 0;
        foreach (var move in moves.Get)
        {
            price = Math.Max(0.1m, price + (((move % 21) - 10) * 0.002m));
            var trade = Trade(price, ++id);
            var da = fast.OnTrade(a, trade);
            var db = slow.OnTrade(b, trade);
            if (!da.Commands.SequenceEqual(db.Commands) || !da.State.Traders.SequenceEqual(db.State.Traders))
            {
                return false.ToProperty();
            }

            (a, b) = (da.State, db.State);

            // Fill whatever open order the price crossed, the way the mock would.
            foreach (var t in a.Traders)
            {
                if (t.OpenOrder is { } o
                    && (o.Side == OrderSide.Buy ? price < o.Price : price > o.Price))
                {
                    var update = Update(o, OrderStatus.Filled, o.Quantity);
                    (a, b) = (fast.OnOrderUpdate(a, update).State, slow.OnOrderUpdate(b, update).State);
                }
            }
        }

        return a.Traders.SequenceEqual(b.Traders).ToProperty();
    }
}
