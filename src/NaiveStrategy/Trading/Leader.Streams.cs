namespace NaiveStrategy;

// The Leader's decisions about its inputs themselves: a stream that failed (and the orders to ask about after a gap in
// the order stream), a stream that delivers again, a fill whose commission is not known yet, a symbol resumed.
internal sealed partial class Leader
{
    /// <summary>
    /// An input stream failed (it is subscribed again after <see cref="StreamResubscribed.Delay"/>): the symbol's
    /// readiness lists it until it delivers again, and after a failure of the order stream every open order is asked
    /// about (<see cref="ReconcileOrders"/>): whatever happened while nobody listened.
    /// </summary>
    public static LeaderDecision OnStreamFailed(LeaderState state, StreamResubscribed failure, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(failure);
        var next = state with { Streams = state.Streams.Failed(failure.Stream, time) };
        return new LeaderDecision(next, failure.Stream == StrategyStream.OrderUpdates ? [new ReconcileOrders()] : [], [failure]);
    }

    /// <summary>
    /// A saved symbol resumed whole (settings, money, guard, traders, numbering; see <see cref="Restore"/>), then every
    /// order its traders (and a guard's exit) have open asked about (<see cref="ReconcileOrders"/>).
    /// </summary>
    public static LeaderDecision Resume(LeaderState state, SymbolSettings settings, SymbolFilters filters, StoredSymbol saved, decimal? freeQuote)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var settled = UpdateSettings(state, settings).State with { Dust = saved.Dust, RealizedPnl = saved.RealizedPnl, FreeQuote = freeQuote, Guard = saved.Guard ?? GuardState.None };
        var restored = Restore(settled, filters, saved.Traders, saved.Status, saved.NextTraderNumber);
        return restored with { Commands = [.. restored.Commands, new ReconcileOrders()] };
    }

    // The update reports fills its trader does not know yet without their commission (an order query answered while
    // the update stream was down, a reconciliation after a restart): the engine asks for the order's fills first
    // (CompleteCommission), so a trader never sees a fill whose fee it cannot know and never sizes a SELL for more base
    // than it received. Null when the update may go to its trader as it is. Allocates nothing on that path.
    private static CompleteCommission? CommissionUnknown(LeaderState state, OrderUpdate update)
    {
        if (update.CommissionKnown || update.ExecutedQuantity == 0 || FindOrder(state, update.ClientOrderId) is not ({ } traderId, { } known) || known.ExecutedQuantity >= update.ExecutedQuantity)
        {
            return null;
        }

        return new CompleteCommission(traderId, update, state.Filters?.BaseAsset);
    }

    private static (string TraderId, TrackedOrder Order)? FindOrder(LeaderState state, string clientOrderId)
    {
        foreach (var trader in state.Traders)
        {
            if (trader.BuyOrder is { } buy && string.Equals(buy.ClientOrderId, clientOrderId, StringComparison.Ordinal))
            {
                return (trader.TraderId, buy);
            }

            if (trader.SellOrder is { } sell && string.Equals(sell.ClientOrderId, clientOrderId, StringComparison.Ordinal))
            {
                return (trader.TraderId, sell);
            }
        }

        return null;
    }
}
