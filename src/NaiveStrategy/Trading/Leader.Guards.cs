using System.Collections.Immutable;

namespace NaiveStrategy;

// The risk guards (SymbolSettings.StopLossPrice, TakeProfitPrice, MaxDrawdown, MaxDailyLoss): checked at every
// trade outside the guard band, they fire once, carry out the GuardAction (Stop or Exit) and keep the symbol off
// until an operator starts it again. Pure, like the rest of the Leader: the fired guard and the exit's progress are
// in the state (LeaderState.Guard), so a restart finishes an exit exactly once.
internal sealed partial class Leader
{
    // Before the traders see a trade outside the band: fires a guard (the decision, which the traders do not see),
    // or moves the peak equity and the market day (`state` comes back moved; null is returned).
    private static LeaderDecision? Watch(ref LeaderState state, in TradeEvent trade)
    {
        var s = state.Settings;
        var guard = state.Guard;
        if (!s.HasGuards || guard.Fired is not null || state.Filters is null)
        {
            return null;
        }

        var equity = GuardMath.Equity(state, trade.Price);
        var day = new DateTimeOffset(trade.Time.UtcDateTime.Date, TimeSpan.Zero);
        var watched = guard;
        if (s.MaxDailyLoss is not null && (guard.DayStart is not { } start || day > start))
        {
            watched = watched with { DayStart = day, DayStartEquity = equity };
        }

        FiredGuard? fired = null;
        if (s.StopLossPrice is { } stop && trade.Price <= stop)
        {
            fired = new(GuardKind.StopLoss, s.GuardAction, trade.Time, trade.Price, trade.Price, stop);
        }
        else if (s.TakeProfitPrice is { } take && trade.Price >= take)
        {
            fired = new(GuardKind.TakeProfit, s.GuardAction, trade.Time, trade.Price, trade.Price, take);
        }
        else if (s.MaxDrawdown is { } drawdown && watched.PeakEquity > 0 && equity <= watched.PeakEquity * (1 - drawdown))
        {
            fired = new(GuardKind.MaxDrawdown, s.GuardAction, trade.Time, trade.Price, (watched.PeakEquity - equity) / watched.PeakEquity, drawdown);
        }
        else if (s.MaxDailyLoss is { } loss && watched.DayStartEquity - equity >= loss)
        {
            fired = new(GuardKind.MaxDailyLoss, s.GuardAction, trade.Time, trade.Price, watched.DayStartEquity - equity, loss);
        }

        if (s.MaxDrawdown is not null && equity > watched.PeakEquity)
        {
            watched = watched with { PeakEquity = equity };
        }

        if (fired is not null)
        {
            return Fire(state with { Guard = watched }, fired);
        }

        if (!ReferenceEquals(watched, guard))
        {
            state = state with { Guard = watched };
        }

        return null;
    }

    /// <summary>
    /// A guard decided outside the symbol fires in it (the account-wide <see cref="NaiveStrategyOptions.MaxDrawdown"/>):
    /// the same action as one of its own. A symbol whose guard already fired keeps that one; a symbol not trading (off,
    /// no trader; its dust is below one step, nothing to sell) only records it, done, so it stays off (and a restart does not start it) until an operator does.
    /// </summary>
    public static LeaderDecision FireGuard(LeaderState state, FiredGuard fired)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fired);
        if (state.Guard.Fired is not null)
        {
            return LeaderDecision.Unchanged(state);
        }

        if (state.Filters is null || (state.Status == SymbolStatus.Off && state.Traders.IsEmpty))
        {
            return LeaderDecision.Happened(
                state with { Guard = state.Guard with { Fired = fired with { Done = true } } },
                new GuardTriggered(fired.Kind, fired.Action, fired.Price, fired.Figure, fired.Threshold, fired.Time));
        }

        return Fire(state, fired);
    }

    // The guard fires: no trader starts again (Shutdown until the action is over, then Off); traders that have sent
    // no BUY are dropped; every trader is halted; Stop cancels every open BUY, Exit every open order. An order still
    // on its way is canceled when the exchange acknowledges it (Trader's halted update).
    private static LeaderDecision Fire(LeaderState state, FiredGuard fired)
    {
        var events = new List<TradingEvent> { new GuardTriggered(fired.Kind, fired.Action, fired.Price, fired.Figure, fired.Threshold, fired.Time) };
        var kept = ImmutableArray.CreateBuilder<TraderState>(state.Traders.Length);
        foreach (var t in state.Traders)
        {
            if (t.BuyOrder is null)
            {
                events.Add(new TraderFinished(t.TraderId, TraderOutcome.Canceled, $"{fired.Kind} guard fired before it sent a BUY: dropped"));
                continue;
            }

            kept.Add(t with { Halt = fired.Action, BuyCancelRequestedAt = null });
        }

        var next = state with
        {
            Status = SymbolStatus.Shutdown,
            Traders = kept.ToImmutable(),
            WaitingTraders = 0,
            FundsCheckAt = null,
            FundsCheckAttempt = 0,
            Guard = state.Guard with { Fired = fired },
        };
        var tally = new LeaderTally(next, next.Traders.ToBuilder(), events);
        AddGuardCancels(next.Traders, fired.Action, tally.Commands);
        tally.ContinueGuard();
        return tally.Decision();
    }

    // The cancels a fired guard asks for: each halted trader's acknowledged open order (every one for Exit, BUYs for Stop).
    private static void AddGuardCancels(ImmutableArray<TraderState> traders, GuardAction action, List<TradingCommand> commands)
    {
        foreach (var t in traders)
        {
            if (t.Halt is null || t.OpenOrder is not { } open || open.Status == OrderStatus.PendingNew || (action == GuardAction.Stop && open.Side != OrderSide.Buy))
            {
                continue;
            }

            commands.Add(new CancelOrder(t.TraderId, new OrderRequest(t.Symbol, open.ClientOrderId, open.Side, open.Price, open.Quantity)));
        }
    }

    // After a restart with a guard's action under way: ask again for every cancel (one that never reached the
    // exchange, or whose answer was lost, would leave the action waiting for ever); with no trader left, go on with
    // the exit (its MARKET SELL, if saved as sent, is asked about by the engine's reconciliation, never sent twice).
    private static LeaderDecision ResumeGuard(LeaderDecision restored)
    {
        var state = restored.State;
        if (state.Guard.Fired is not { Done: false } fired)
        {
            return restored;
        }

        var tally = new LeaderTally(state, state.Traders.ToBuilder(), [.. restored.Events]);
        tally.Commands.AddRange(restored.Commands);
        AddGuardCancels(state.Traders, fired.Action, tally.Commands);
        tally.ContinueGuard();
        return tally.Decision();
    }

    private static bool IsExitOrder(LeaderState state, string clientOrderId, out TrackedOrder exit)
    {
        exit = state.Guard.Fired?.ExitOrder!;
        return exit is not null && string.Equals(exit.ClientOrderId, clientOrderId, StringComparison.Ordinal);
    }

    // An update of the exit's MARKET SELL: what it sold (and the commission) leaves the dust, what it got joins the
    // realized PnL; once it ends, what is left (e.g. above MARKET_LOT_SIZE.maxQty) goes out with the next one.
    private static LeaderDecision OnExitUpdate(LeaderState state, TrackedOrder exit, OrderUpdate update)
    {
        if (!Trader.IsNewer(exit, update))
        {
            return LeaderDecision.Unchanged(state);
        }

        var filters = state.Filters!;
        var commission = Math.Max(exit.Commission, update.Commission);
        var asset = update.CommissionAsset ?? exit.CommissionAsset;
        var quote = update.QuoteQuantity ?? (update.ExecutedQuantity * update.Price);
        var updated = exit with
        {
            OrderId = update.OrderId,
            Status = update.Status,
            ExecutedQuantity = update.ExecutedQuantity,
            Commission = commission,
            CommissionAsset = asset,
            QuoteQuantity = quote,
        };
        var feeDelta = commission - exit.Commission;
        var baseOut = updated.ExecutedQuantity - exit.ExecutedQuantity + (string.Equals(asset, filters.BaseAsset, StringComparison.Ordinal) ? feeDelta : 0m);
        var quoteIn = quote - exit.QuoteQuantity - (string.Equals(asset, filters.QuoteAsset, StringComparison.Ordinal) ? feeDelta : 0m);
        var tally = new LeaderTally(state, state.Traders.ToBuilder(), null);
        if (updated.ExecutedQuantity > exit.ExecutedQuantity)
        {
            tally.Events.Add(new OrderFilled(exit.ClientOrderId, OrderSnapshot.Of(updated)));
        }

        tally.ExitExecuted(updated, baseOut, quoteIn);
        if (!updated.IsOpen)
        {
            var net = updated.QuoteQuantity - (string.Equals(updated.CommissionAsset, filters.QuoteAsset, StringComparison.Ordinal) ? updated.Commission : 0m);
            tally.Events.Add(new GuardExitFilled(updated.ClientOrderId, updated.Status, updated.ExecutedQuantity, net, filters.BaseAsset));
            tally.ContinueGuard();
        }

        return tally.Decision();
    }

    private static LeaderDecision OnExitRefused(LeaderState state, TrackedOrder exit, ExchangeError error)
    {
        if (exit.Status != OrderStatus.PendingNew)
        {
            return LeaderDecision.Unchanged(state);
        }

        var tally = new LeaderTally(state, state.Traders.ToBuilder(), null);
        tally.ExitRefused(exit with { Status = OrderStatus.Rejected }, error);
        return tally.Decision();
    }
}
