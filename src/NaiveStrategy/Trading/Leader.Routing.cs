namespace NaiveStrategy;

// Order updates and placement failures, routed to the trader that owns the client order id (a guard's exit order to the
// guard); an update no trader owns is reported.
internal sealed partial class Leader
{
    /// <summary>
    /// An update of one of our orders, routed to its trader by client order id; from the exchange's order stream when
    /// <paramref name="fromStream"/> (the stream delivers again), else an answer to a call. An update that reports fills
    /// without their commission is held back while the engine asks for it (<see cref="CompleteCommission"/>).
    /// </summary>
    public LeaderDecision OnOrderUpdate(LeaderState state, OrderUpdate update, bool fromStream = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(update);
        if (fromStream && state.Streams.UpdatesFailedAt != 0)
        {
            state = state with { Streams = state.Streams with { UpdatesFailedAt = 0 } };
        }

        if (CommissionUnknown(state, update) is { } complete)
        {
            return new LeaderDecision(state, [complete], []);
        }

        if (IsExitOrder(state, update.ClientOrderId, out var exit))
        {
            return OnExitUpdate(state, exit, update);
        }

        return Route(state, update.ClientOrderId, new OrderUpdateInput(update) { Dust = state.Dust }, update);
    }

    /// <summary>
    /// A placement failed for good, routed to its trader by client order id. A refusal for lack of funds
    /// (<see cref="ExchangeErrorKind.InsufficientFunds"/>) ends the trader but never the symbol: it waits for
    /// funds and asks for the balance.
    /// </summary>
    public LeaderDecision OnPlacementFailed(LeaderState state, string clientOrderId, ExchangeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(state);
        if (IsExitOrder(state, clientOrderId, out var exit))
        {
            return OnExitRefused(state, exit, error);
        }

        return Route(state, clientOrderId, new PlacementFailedInput(clientOrderId, error), null, fundsShort: error.Kind == ExchangeErrorKind.InsufficientFunds);
    }

    // An update no trader owns (`unknown`, null for other inputs) is reported as UnknownOrderUpdate.
    private LeaderDecision Route(LeaderState state, string clientOrderId, TraderInput input, OrderUpdate? unknown, bool fundsShort = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        var traders = state.Traders;
        for (var i = 0; i < traders.Length; i++)
        {
            var trader = traders[i];
            if (!Owns(trader, clientOrderId))
            {
                continue;
            }

            TraderDecision decision;
            try
            {
                decision = (_traderReducer ?? Trader.Decide)(trader, input);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return LeaderDecision.Happened(state, new TraderCrashed(trader.TraderId, ex));
            }

            if (decision.IsUnchanged(trader))
            {
                return LeaderDecision.Unchanged(state);
            }

            var builder = traders.ToBuilder();
            builder[i] = decision.State;
            return Coordinate(state, builder, [new Step(trader, decision.State, decision.Events, decision.Commands, fundsShort)], null);
        }

        return unknown is null
            ? LeaderDecision.Unchanged(state)
            : LeaderDecision.Happened(state, new UnknownOrderUpdate(unknown) { Late = unknown.Status.IsTerminal() && OfAnEarlierTrader(state, clientOrderId) });
    }

    // PREFIX-N-b, -bK or -s with N below the next trader's number: a trader of this Leader that no longer runs.
    private static bool OfAnEarlierTrader(LeaderState state, string clientOrderId)
    {
        var prefix = state.TraderIdPrefix + "-";
        if (!clientOrderId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = clientOrderId.AsSpan(prefix.Length);
        var dash = rest.IndexOf('-');
        return dash > 0
            && long.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number < state.NextTraderNumber
            && (rest[dash..].StartsWith(Trader.BuySuffix, StringComparison.Ordinal) || rest[dash..].SequenceEqual(Trader.SellSuffix));
    }

    private static bool Owns(TraderState trader, string clientOrderId) =>
        (trader.BuyOrder is { } b && string.Equals(b.ClientOrderId, clientOrderId, StringComparison.Ordinal))
        || (trader.SellOrder is { } s && string.Equals(s.ClientOrderId, clientOrderId, StringComparison.Ordinal))
        || string.Equals(trader.ReplacedBuyClientOrderId, clientOrderId, StringComparison.Ordinal);
}
