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
        var fast = new Leader();
        var slow = new Leader(Trader.Decide);
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
            if (!da.Commands.SequenceEqual(db.Commands) || !da.Events.SequenceEqual(db.Events) || !da.State.Traders.SequenceEqual(db.State.Traders))
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

    // The Leader is a pure function of its state: deciding the same input twice from the same state
    // gives the same decision (trader ids included: they come from the state, not a shared counter).
    [Property(MaxTest = 200)]
    public Property Decide_SameStateSameInputTwice_SameDecision(NonEmptyArray<int> moves, PositiveInt chunks)
    {
        var leader = new Leader();
        var settings = Settings(chunks: 1 + (chunks.Get % 5), budget: 100m, buyDown: 0.002m, profit: 0.001m, rebuy: 0.01m);
        var state = leader.Start(LeaderState.Create(settings, "p"), Filters()).State;
        var price = 1.0m;
        long id = 0;
        foreach (var move in moves.Get)
        {
            price = Math.Max(0.1m, price + (((move % 21) - 10) * 0.002m));
            var trade = Trade(price, ++id);
            if (!Same(leader.OnTrade(state, trade), leader.OnTrade(state, trade)))
            {
                return false.ToProperty();
            }

            state = leader.OnTrade(state, trade).State;
            foreach (var t in state.Traders)
            {
                if (t.OpenOrder is { } o && (o.Side == OrderSide.Buy ? price < o.Price : price > o.Price))
                {
                    var update = Update(o, OrderStatus.Filled, o.Quantity);
                    var first = leader.OnOrderUpdate(state, update);
                    if (!Same(first, leader.OnOrderUpdate(state, update)))
                    {
                        return false.ToProperty();
                    }

                    state = first.State;
                }
            }
        }

        return true.ToProperty();
    }

    private static bool Same(LeaderDecision a, LeaderDecision b) =>
        a.Commands.SequenceEqual(b.Commands)
        && a.Events.SequenceEqual(b.Events)
        && a.State.Traders.SequenceEqual(b.State.Traders)
        && a.State.NextTraderNumber == b.State.NextTraderNumber
        && a.State.Status == b.State.Status;
}
