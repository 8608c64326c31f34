using System.Collections.Immutable;

namespace NaiveStrategy;

/// <summary>
/// The leader of one symbol as a reducer over <see cref="LeaderState"/>: starts one trader, starts
/// another on each rebuy notification while fewer than <c>chunks</c> run, replaces traders that
/// complete a cycle, removes them during shutdown, restores a trader that crashed from its last state,
/// and routes order updates to traders by client order id.
/// Deterministic: its only dependency is the trader id generator.
/// </summary>
public sealed class Leader
{
    private readonly TraderIdGenerator _ids;
    private readonly Func<TraderState, TraderInput, TraderDecision>? _traderReducer;

    /// <summary>Creates a leader.</summary>
    /// <param name="ids">Source of unique trader ids.</param>
    /// <param name="traderReducer">Replaces <see cref="Trader.Decide"/> (tests, instrumentation); null for the built-in trader and its allocation-free trade path.</param>
    public Leader(TraderIdGenerator ids, Func<TraderState, TraderInput, TraderDecision>? traderReducer = null)
    {
        _ids = ids ?? throw new ArgumentNullException(nameof(ids));
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
            return new(next, []);
        }

        var trader = NewTrader(next);
        return new(next with { Traders = [trader] }, [new TraderStarted(trader.TraderId, TraderStartReason.Initial, trader.Budget)]);
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
        return new(state with { Status = SymbolStatus.Off, Traders = [] }, [new SymbolStopped("stopped", open)]);
    }

    /// <summary>shutdown_trading: no new traders; running ones finish their cycle, then the symbol stops.</summary>
    public static LeaderDecision Shutdown(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status != SymbolStatus.On)
        {
            return LeaderDecision.Unchanged(state);
        }

        return state.Traders.IsEmpty
            ? new(state with { Status = SymbolStatus.Off }, [new SymbolStopped("shutdown complete", [])])
            : new(state with { Status = SymbolStatus.Shutdown }, []);
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
        return new(state with { Settings = settings }, []);
    }

    /// <summary>Resumes traders from saved states (same ids) after a restart, with the saved status.</summary>
    public static LeaderDecision Restore(LeaderState state, SymbolFilters filters, IEnumerable<TraderState> traders, SymbolStatus status = SymbolStatus.On)
    {
        ArgumentNullException.ThrowIfNull(state);
        var restored = traders.Where(t => t.Outcome is null).ToImmutableArray();
        return new(state with { Status = status, Filters = filters, Traders = restored }, []);
    }

    /// <summary>A market trade, given to every trader. Allocates nothing when no trader reacts.</summary>
    public LeaderDecision OnTrade(LeaderState state, in TradeEvent trade)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status == SymbolStatus.Off || (_traderReducer is null && trade.Price >= state.QuietFrom))
        {
            return LeaderDecision.Unchanged(state);
        }

        var traders = state.Traders;
        ImmutableArray<TraderState>.Builder? changed = null;
        List<TradingCommand>? commands = null;
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
                (commands ??= []).Add(new TraderCrashed(trader.TraderId, ex));
                continue;
            }

            if (ReferenceEquals(decision.State, trader) && decision.Commands.Count == 0)
            {
                continue;
            }

            changed ??= traders.ToBuilder();
            changed[i] = decision.State;
            (commands ??= []).AddRange(decision.Commands);
        }

        if (commands is null)
        {
            return LeaderDecision.Unchanged(state);
        }

        return Coordinate(state, changed ?? traders.ToBuilder(), commands);
    }

    /// <summary>An update of one of our orders, routed to its trader by client order id.</summary>
    public LeaderDecision OnOrderUpdate(LeaderState state, OrderUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Route(state, update.ClientOrderId, new OrderUpdateInput(update), () => new UnknownOrderUpdate(update));
    }

    /// <summary>A placement failed for good, routed to its trader by client order id.</summary>
    public LeaderDecision OnPlacementFailed(LeaderState state, string clientOrderId, ExchangeError error) =>
        Route(state, clientOrderId, new PlacementFailedInput(clientOrderId, error), null);

    /// <summary>rebuy_triggered from a trader: start another trader while fewer than chunks run and the symbol is on.</summary>
    public LeaderDecision OnRebuyTriggered(LeaderState state, string traderId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Coordinate(state, state.Traders.ToBuilder(), [new NotifyRebuy(traderId, 0m)]);
    }

    private LeaderDecision Route(LeaderState state, string clientOrderId, TraderInput input, Func<TradingCommand>? unknown)
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
                return new(state, [new TraderCrashed(trader.TraderId, ex)]);
            }

            if (ReferenceEquals(decision.State, trader) && decision.Commands.Count == 0)
            {
                return LeaderDecision.Unchanged(state);
            }

            var builder = traders.ToBuilder();
            builder[i] = decision.State;
            return Coordinate(state, builder, [.. decision.Commands]);
        }

        return unknown is null ? LeaderDecision.Unchanged(state) : new(state, [unknown()]);
    }

    private static bool Owns(TraderState trader, string clientOrderId) =>
        (trader.BuyOrder is { } b && string.Equals(b.ClientOrderId, clientOrderId, StringComparison.Ordinal))
        || (trader.SellOrder is { } s && string.Equals(s.ClientOrderId, clientOrderId, StringComparison.Ordinal));

    // Turns the traders' notifications into leader decisions, in the order they were made.
    private LeaderDecision Coordinate(LeaderState state, ImmutableArray<TraderState>.Builder traders, List<TradingCommand> traderCommands)
    {
        var status = state.Status;
        var output = new List<TradingCommand>(traderCommands.Count + 2);
        foreach (var command in traderCommands)
        {
            switch (command)
            {
                case NotifyRebuy rebuy:
                    if (IndexOf(traders, rebuy.TraderId) < 0)
                    {
                        output.Add(new UnknownTraderNotified(rebuy.TraderId));
                        break;
                    }

                    output.Add(command);
                    if (status == SymbolStatus.On && traders.Count < state.Settings.Chunks)
                    {
                        StartTrader(state, traders, output, TraderStartReason.Rebuy);
                    }
                    else
                    {
                        output.Add(new AllTradersStarted(rebuy.TraderId));
                    }

                    break;

                case TraderFinished finished:
                    output.Add(command);
                    var index = IndexOf(traders, finished.TraderId);
                    if (index >= 0)
                    {
                        traders.RemoveAt(index);
                    }

                    if (status == SymbolStatus.On && finished.Outcome is TraderOutcome.Completed or TraderOutcome.Canceled)
                    {
                        StartTrader(state, traders, output, TraderStartReason.Replacement);
                    }
                    else if (traders.Count == 0)
                    {
                        var reason = status == SymbolStatus.Shutdown
                            ? "shutdown complete"
                            : $"no trader left: the last one ended {finished.Outcome} ({finished.Reason})";
                        status = SymbolStatus.Off;
                        output.Add(new SymbolStopped(reason, []));
                    }

                    break;

                default:
                    output.Add(command);
                    break;
            }
        }

        return new(state with { Status = status, Traders = traders.ToImmutable() }, output);
    }

    private void StartTrader(LeaderState state, ImmutableArray<TraderState>.Builder traders, List<TradingCommand> output, TraderStartReason reason)
    {
        var trader = NewTrader(state);
        traders.Add(trader);
        output.Add(new TraderStarted(trader.TraderId, reason, trader.Budget));
    }

    private TraderState NewTrader(LeaderState state) =>
        TraderState.Fresh(_ids.Next(), state.Settings, state.Filters ?? throw new InvalidOperationException($"The {state.Symbol} leader has no symbol filters: start it first."));

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
