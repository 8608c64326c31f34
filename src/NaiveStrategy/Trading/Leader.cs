using System.Collections.Immutable;
using System.Globalization;

namespace NaiveStrategy;

/// <summary>
/// The leader of one symbol as a pure reducer over <see cref="LeaderState"/>: starts one trader, starts
/// another on each rebuy notification while fewer than <c>chunks</c> run, replaces traders that
/// complete a cycle, removes them during shutdown, restores a trader that crashed from its last state,
/// and routes order updates to traders by client order id. The same state and input always give the
/// same decision: even trader ids come from the state (<see cref="LeaderState.NextTraderNumber"/>).
/// </summary>
public sealed class Leader
{
    private readonly Func<TraderState, TraderInput, TraderDecision>? _traderReducer;

    /// <summary>Creates a leader.</summary>
    /// <param name="traderReducer">Replaces <see cref="Trader.Decide"/> (tests, instrumentation); null for the built-in trader and its allocation-free trade path.</param>
    public Leader(Func<TraderState, TraderInput, TraderDecision>? traderReducer = null)
    {
        _traderReducer = traderReducer;
    }

    /// <summary>start_trading: status on; one fresh trader if none runs.</summary>
    public LeaderDecision Start(LeaderState state, SymbolFilters filters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(filters);
        if (state.Status == SymbolStatus.On && !state.Traders.IsEmpty)
        {
            return LeaderDecision.Unchanged(state);
        }

        var next = state with { Status = SymbolStatus.On, Filters = filters };
        if (!next.Traders.IsEmpty)
        {
            return LeaderDecision.Happened(next);
        }

        var trader = NewTrader(next, next.NextTraderNumber);
        return LeaderDecision.Happened(
            next with { Traders = [trader], NextTraderNumber = next.NextTraderNumber + 1 },
            new TraderStarted(trader.TraderId, TraderStartReason.Initial, trader.Budget));
    }

    /// <summary>stop_trading: stop at once; open orders stay on the exchange and are reported.</summary>
    public static LeaderDecision Stop(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status == SymbolStatus.Off && state.Traders.IsEmpty)
        {
            return LeaderDecision.Unchanged(state);
        }

        var open = state.Traders.Select(t => t.OpenOrder).OfType<TrackedOrder>().ToArray();
        return LeaderDecision.Happened(state with { Status = SymbolStatus.Off, Traders = [] }, new SymbolStopped(SymbolStopReason.Stopped, open));
    }

    /// <summary>
    /// shutdown_trading: no new traders; traders that have sent no BUY end at once (they hold nothing and
    /// would open a new position); the others finish their cycle, then the symbol stops.
    /// </summary>
    public static LeaderDecision Shutdown(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status != SymbolStatus.On)
        {
            return LeaderDecision.Unchanged(state);
        }

        var events = new List<TradingEvent> { new ShutdownStarted() };
        foreach (var idle in state.Traders.Where(t => t.BuyOrder is null))
        {
            events.Add(new TraderFinished(idle.TraderId, TraderOutcome.Canceled, "shutdown began before it sent its BUY: nothing held"));
        }

        var holding = state.Traders.RemoveAll(t => t.BuyOrder is null);
        if (holding.IsEmpty)
        {
            events.Add(new SymbolStopped(SymbolStopReason.ShutdownComplete, []));
        }

        return new(state with { Status = holding.IsEmpty ? SymbolStatus.Off : SymbolStatus.Shutdown, Traders = holding }, [], events);
    }

    /// <summary>New settings for traders started from now on; running traders keep theirs.</summary>
    public static LeaderDecision UpdateSettings(LeaderState state, SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Symbol, state.Symbol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Settings for {settings.Symbol} cannot be applied to the {state.Symbol} leader.", nameof(settings));
        }

        settings.Validate();
        return LeaderDecision.Happened(state with { Settings = settings });
    }

    /// <summary>Resumes traders from saved states (same ids) after a restart, with the saved status and trader numbering.</summary>
    public static LeaderDecision Restore(LeaderState state, SymbolFilters filters, IEnumerable<TraderState> traders, SymbolStatus status = SymbolStatus.On, long nextTraderNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(traders);
        var restored = traders.Where(t => t.Outcome is null).ToImmutableArray();
        var next = state with { Status = status, Filters = filters, Traders = restored, NextTraderNumber = Math.Max(state.NextTraderNumber, nextTraderNumber) };
        return LeaderDecision.Happened(next, new SymbolRestored(restored.Length, status));
    }

    /// <summary>
    /// True when <paramref name="trade"/> can change nothing: the symbol is off, or the price is at or above
    /// every trader's next trigger (<see cref="LeaderState.QuietFrom"/>). <see cref="OnTrade"/> would return
    /// the state unchanged; callers on a hot path may skip the call.
    /// </summary>
    public bool IsQuiet(LeaderState state, in TradeEvent trade) =>
        state.Status == SymbolStatus.Off || (_traderReducer is null && trade.Price >= state.QuietFrom);

    /// <summary>A market trade, given to every trader. Allocates nothing when no trader reacts.</summary>
    public LeaderDecision OnTrade(LeaderState state, in TradeEvent trade)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (IsQuiet(state, trade))
        {
            return LeaderDecision.Unchanged(state);
        }

        var traders = state.Traders;
        ImmutableArray<TraderState>.Builder? changed = null;
        List<Step>? decisions = null;
        List<TradingEvent>? crashes = null;
        MarketTradeInput? input = null;
        for (var i = 0; i < traders.Length; i++)
        {
            var trader = traders[i];
            TraderDecision decision;
            try
            {
                decision = _traderReducer is null ? Trader.OnTrade(trader, trade) : _traderReducer(trader, input ??= new MarketTradeInput(trade));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                (crashes ??= []).Add(new TraderCrashed(trader.TraderId, ex));
                continue;
            }

            if (decision.IsUnchanged(trader))
            {
                continue;
            }

            changed ??= traders.ToBuilder();
            changed[i] = decision.State;
            (decisions ??= []).Add(new Step(decision.Events, decision.Commands));
        }

        if (decisions is null && crashes is null)
        {
            return LeaderDecision.Unchanged(state);
        }

        return Coordinate(state, changed ?? traders.ToBuilder(), decisions ?? [], crashes);
    }

    /// <summary>An update of one of our orders, routed to its trader by client order id.</summary>
    public LeaderDecision OnOrderUpdate(LeaderState state, OrderUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Route(state, update.ClientOrderId, new OrderUpdateInput(update), new UnknownOrderUpdate(update));
    }

    /// <summary>A placement failed for good, routed to its trader by client order id.</summary>
    public LeaderDecision OnPlacementFailed(LeaderState state, string clientOrderId, ExchangeError error) =>
        Route(state, clientOrderId, new PlacementFailedInput(clientOrderId, error), null);

    /// <summary>rebuy_triggered from a trader: start another trader while fewer than chunks run and the symbol is on.</summary>
    public LeaderDecision OnRebuyTriggered(LeaderState state, string traderId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Coordinate(state, state.Traders.ToBuilder(), [new Step([], [new NotifyRebuy(traderId, 0m)])], null);
    }

    private LeaderDecision Route(LeaderState state, string clientOrderId, TraderInput input, TradingEvent? unknown)
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
            return Coordinate(state, builder, [new Step(decision.Events, decision.Commands)], null);
        }

        return unknown is null ? LeaderDecision.Unchanged(state) : LeaderDecision.Happened(state, unknown);
    }

    private static bool Owns(TraderState trader, string clientOrderId) =>
        (trader.BuyOrder is { } b && string.Equals(b.ClientOrderId, clientOrderId, StringComparison.Ordinal))
        || (trader.SellOrder is { } s && string.Equals(s.ClientOrderId, clientOrderId, StringComparison.Ordinal));

    // Turns the traders' decisions into the leader's, trader by trader in the order they were made:
    // what happened to a trader first, then what it asks for (a rebuy starts a trader, an order passes on).
    private static LeaderDecision Coordinate(LeaderState state, ImmutableArray<TraderState>.Builder traders, List<Step> decisions, List<TradingEvent>? leading)
    {
        var status = state.Status;
        var nextNumber = state.NextTraderNumber;
        var commands = new List<TradingCommand>(2);
        var events = leading ?? new List<TradingEvent>(4);
        foreach (var decision in decisions)
        {
            foreach (var e in decision.Events)
            {
                events.Add(e);
                if (e is not TraderFinished finished)
                {
                    continue;
                }

                var index = IndexOf(traders, finished.TraderId);
                if (index >= 0)
                {
                    traders.RemoveAt(index);
                }

                if (status == SymbolStatus.On && finished.Outcome is TraderOutcome.Completed or TraderOutcome.Canceled)
                {
                    // Only while fewer than chunks run: after chunks were lowered, finished traders are not
                    // replaced until the count is under the new limit.
                    if (traders.Count < state.Settings.Chunks)
                    {
                        StartTrader(state, traders, events, TraderStartReason.Replacement, ref nextNumber);
                    }
                }
                else if (traders.Count == 0)
                {
                    events.Add(status == SymbolStatus.Shutdown
                        ? new SymbolStopped(SymbolStopReason.ShutdownComplete, [])
                        : new SymbolStopped(SymbolStopReason.NoTraderLeft, [], finished.Outcome));
                    status = SymbolStatus.Off;
                }
            }

            foreach (var command in decision.Commands)
            {
                if (command is not NotifyRebuy rebuy)
                {
                    commands.Add(command);
                    continue;
                }

                if (IndexOf(traders, rebuy.TraderId) < 0)
                {
                    events.Add(new UnknownTraderNotified(rebuy.TraderId));
                    continue;
                }

                events.Add(new RebuyTriggered(rebuy.TraderId, rebuy.Price));
                if (status == SymbolStatus.On && traders.Count < state.Settings.Chunks)
                {
                    StartTrader(state, traders, events, TraderStartReason.Rebuy, ref nextNumber);
                }
                else
                {
                    events.Add(new AllTradersStarted(rebuy.TraderId));
                }
            }
        }

        return new(state with { Status = status, Traders = traders.ToImmutable(), NextTraderNumber = nextNumber }, commands, events);
    }

    private static void StartTrader(LeaderState state, ImmutableArray<TraderState>.Builder traders, List<TradingEvent> events, TraderStartReason reason, ref long number)
    {
        var trader = NewTrader(state, number++);
        traders.Add(trader);
        events.Add(new TraderStarted(trader.TraderId, reason, trader.Budget));
    }

    private static TraderState NewTrader(LeaderState state, long number) =>
        TraderState.Fresh(
            state.TraderIdPrefix + "-" + number.ToString(CultureInfo.InvariantCulture),
            state.Settings,
            state.Filters ?? throw new InvalidOperationException($"The {state.Symbol} leader has no symbol filters: start it first."));

    // What one trader's step produced, for Coordinate.
    private readonly record struct Step(IReadOnlyList<TradingEvent> Events, IReadOnlyList<TradingCommand> Commands);

    private static int IndexOf(ImmutableArray<TraderState>.Builder traders, string traderId)
    {
        for (var i = 0; i < traders.Count; i++)
        {
            if (string.Equals(traders[i].TraderId, traderId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
