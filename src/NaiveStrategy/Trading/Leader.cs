using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NaiveStrategy;

/// <summary>
/// The leader of one symbol as a pure reducer over <see cref="LeaderState"/>: starts one trader, starts
/// another on each rebuy notification while fewer than <c>chunks</c> run, replaces traders that
/// complete a cycle while fewer than <c>chunks</c> run, removes them during shutdown, restores a trader
/// that crashed from its last state, and routes order updates to traders by client order id. It keeps
/// the symbol's money (<see cref="LeaderState.Dust"/>, <see cref="LeaderState.RealizedPnl"/>,
/// <see cref="LeaderState.FreeQuote"/>): a trader starts only when the free quote covers its share,
/// otherwise the symbol waits for funds. The same state and input always give the same decision: even
/// trader ids come from the state (<see cref="LeaderState.NextTraderNumber"/>).
/// </summary>
internal sealed partial class Leader
{
    private readonly Func<TraderState, TraderInput, TraderDecision>? _traderReducer;

    /// <summary>Creates a leader.</summary>
    /// <param name="traderReducer">Replaces <see cref="Trader.Decide"/> (tests, instrumentation); null for the built-in trader and its allocation-free trade path.</param>
    public Leader(Func<TraderState, TraderInput, TraderDecision>? traderReducer = null)
    {
        _traderReducer = traderReducer;
    }

    /// <summary>While waiting for funds: the market time between a balance answer and the next check; doubles per check.</summary>
    public TimeSpan FundsCheckDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest time between two balance checks while waiting for funds.</summary>
    public TimeSpan MaxFundsCheckDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>start_trading: status on; one fresh trader if none runs (or the symbol waits for funds).</summary>
    /// <param name="state">The leader's state.</param>
    /// <param name="filters">The symbol's filters.</param>
    /// <param name="freeQuote">The account's free quote, when the engine knows it (null: no funds check).</param>
    public LeaderDecision Start(LeaderState state, SymbolFilters filters, decimal? freeQuote = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(filters);
        if (state.Guard.Fired is { } fired)
        {
            if (!fired.Done)
            {
                // A guard's action under way is finished first: a start now could send a BUY next to an exit.
                return LeaderDecision.Unchanged(state);
            }

            // An operator starts the symbol again: the guards watch afresh (new peak, new day).
            state = state with { Guard = GuardState.None };
        }

        if (state.Status == SymbolStatus.On && (!state.Traders.IsEmpty || state.WaitingForFunds))
        {
            return LeaderDecision.Unchanged(state);
        }

        var next = state with { Status = SymbolStatus.On, Filters = filters, Refusal = null, FreeQuote = freeQuote ?? state.FreeQuote };
        if (!next.Traders.IsEmpty)
        {
            return LeaderDecision.Happened(next);
        }

        var tally = new LeaderTally(next, next.Traders.ToBuilder(), null);
        tally.StartOrWait(TraderStartReason.Initial);
        return tally.Decision();
    }

    /// <summary>stop_trading: stop at once; open orders stay on the exchange and are reported.</summary>
    public static LeaderDecision Stop(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status == SymbolStatus.Off && state.Traders.IsEmpty)
        {
            return LeaderDecision.Unchanged(state);
        }

        var open = state.Traders.Select(t => t.OpenOrder).OfType<TrackedOrder>().Select(OrderSnapshot.Of).ToArray();
        var guard = state.Guard.Fired is { Done: false } fired ? state.Guard with { Fired = fired with { Done = true } } : state.Guard;
        return LeaderDecision.Happened(state with { Status = SymbolStatus.Off, Traders = [], WaitingTraders = 0, FundsCheckAt = null, FundsCheckAttempt = 0, Guard = guard }, new SymbolStopped(SymbolStopReason.Stopped, open));
    }

    /// <summary>
    /// shutdown_trading: no new traders; traders that have sent no BUY are dropped at once, holders finish
    /// their cycle, then the symbol stops.
    /// </summary>
    public static LeaderDecision Shutdown(LeaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status != SymbolStatus.On)
        {
            return LeaderDecision.Unchanged(state);
        }

        var idle = state with { WaitingTraders = 0, FundsCheckAt = null, FundsCheckAttempt = 0 };
        if (state.Traders.IsEmpty)
        {
            return LeaderDecision.Happened(idle with { Status = SymbolStatus.Off }, new SymbolStopped(SymbolStopReason.ShutdownComplete, []));
        }

        var events = new List<TradingEvent> { new ShutdownStarted() };
        var kept = Drop(state.Traders, state.Traders.Length, events, "shutdown began before it sent a BUY: dropped");
        if (kept.IsEmpty)
        {
            events.Add(new SymbolStopped(SymbolStopReason.ShutdownComplete, []));
            return new(idle with { Status = SymbolStatus.Off, Traders = kept }, [], events);
        }

        return new(idle with { Status = SymbolStatus.Shutdown, Traders = kept }, [], events);
    }

    /// <summary>
    /// New settings for traders started from now on; running traders keep theirs. With fewer chunks than
    /// traders running, traders that have sent no BUY are dropped (newest first) until no more than
    /// <c>chunks</c> run or only holders are left; holders finish their cycle and are not replaced until
    /// fewer than <c>chunks</c> run.
    /// </summary>
    public static LeaderDecision UpdateSettings(LeaderState state, SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Symbol, state.Symbol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Settings for {settings.Symbol} cannot be applied to the {state.Symbol} leader.", nameof(settings));
        }

        settings.Validate();
        var events = new List<TradingEvent>();
        var traders = Drop(state.Traders, state.Traders.Length - settings.Chunks, events, $"chunks lowered to {settings.Chunks.ToString(CultureInfo.InvariantCulture)}: dropped before it sent a BUY");
        var waiting = Math.Min(state.WaitingTraders, Math.Max(0, settings.Chunks - traders.Length));
        var next = state with { Settings = settings, Traders = traders, WaitingTraders = waiting };
        if (waiting == 0)
        {
            next = next with { FundsCheckAt = null, FundsCheckAttempt = 0 };
        }

        return new(next, [], events);
    }

    /// <summary>
    /// The exchange changed the symbol's trading rules: the Leader and its running traders price and size every order
    /// from now on with <paramref name="filters"/> (orders already placed stay as they are). Before the symbol has
    /// started, nothing changes: it reads the filters when it starts.
    /// </summary>
    public static LeaderDecision UpdateFilters(LeaderState state, SymbolFilters filters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(filters);
        if (!string.Equals(filters.Symbol, state.Symbol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Filters of {filters.Symbol} cannot be applied to the {state.Symbol} leader.", nameof(filters));
        }

        if (state.Filters is null || state.Filters == filters)
        {
            return new(state, [], []);
        }

        var traders = state.Traders.Select(t => t with { Filters = filters }).ToImmutableArray();
        return new(state with { Filters = filters, Traders = traders }, [], []);
    }

    /// <summary>
    /// Resumes traders from saved states (same ids) after a restart, with the saved status and trader
    /// numbering. A symbol that is on with no trader left starts one (or waits for funds).
    /// </summary>
    public static LeaderDecision Restore(LeaderState state, SymbolFilters filters, IEnumerable<TraderState> traders, SymbolStatus status = SymbolStatus.On, long nextTraderNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(traders);
        var restored = traders.Where(t => t.Outcome is null).ToImmutableArray();
        var next = state with
        {
            Status = status,
            Filters = filters,
            Traders = restored,
            NextTraderNumber = Math.Max(state.NextTraderNumber, nextTraderNumber),
            WaitingTraders = 0,
            FundsCheckAt = null,
            FundsCheckAttempt = 0,
        };
        var tally = new LeaderTally(next, restored.ToBuilder(), [new SymbolRestored(restored.Length, status)]);
        if (status == SymbolStatus.On && restored.IsEmpty && filters is not null && state.Guard.Fired is null)
        {
            tally.StartOrWait(TraderStartReason.Initial);
        }

        return filters is null ? tally.Decision() : ResumeGuard(tally.Decision());
    }

    /// <summary>
    /// True when <paramref name="trade"/> can change nothing: the symbol is off, or no balance check is due and
    /// the price is at or above every trader's next trigger (<see cref="LeaderState.QuietFrom"/>).
    /// <see cref="OnTrade"/> would return the state unchanged; callers on a hot path may skip the call.
    /// </summary>
    public bool IsQuiet(LeaderState state, in TradeEvent trade) =>
        state.Streams.TradesFailedAt == 0
        && (state.Status == SymbolStatus.Off
        || (_traderReducer is null && trade.Price >= state.QuietFrom && !FundsCheckDue(state, trade) && state.Band.IsQuiet(trade)));

    private static bool FundsCheckDue(LeaderState state, in TradeEvent trade) =>
        state.FundsCheckAt is { } checkAt && trade.Time >= checkAt;

    /// <summary>A market trade, given to every trader. Allocates nothing when no trader reacts.</summary>
    public LeaderDecision OnTrade(LeaderState state, in TradeEvent trade)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Streams.TradesFailedAt != 0)
        {
            // The market stream delivers again.
            state = state with { Streams = state.Streams with { TradesFailedAt = 0 } };
        }

        if (IsQuiet(state, trade))
        {
            return LeaderDecision.Unchanged(state);
        }

        var original = state;
        if (!state.Band.IsQuiet(trade) && Watch(ref state, trade) is { } fired)
        {
            return fired;
        }

        // While waiting for funds, the market's clock paces the balance checks.
        var checkFunds = FundsCheckDue(state, trade);

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
            (decisions ??= []).Add(new Step(trader, decision.State, decision.Events, decision.Commands));
        }

        if (decisions is null && crashes is null && !checkFunds)
        {
            return ReferenceEquals(state, original) ? LeaderDecision.Unchanged(state) : LeaderDecision.Happened(state);
        }

        return Coordinate(state, changed ?? traders.ToBuilder(), CollectionsMarshal.AsSpan(decisions), crashes, checkFunds);
    }

    /// <summary>rebuy_triggered from a trader: start another trader while fewer than chunks run and the symbol is on.</summary>
    public LeaderDecision OnRebuyTriggered(LeaderState state, string traderId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Coordinate(state, state.Traders.ToBuilder(), [new Step(null, null, [], [new NotifyRebuy(traderId, 0m)])], null);
    }

    /// <summary>
    /// The engine's answer to <see cref="CheckFunds"/>: the account's free quote (null when the exchange
    /// could not say) at <paramref name="time"/>. A BUY still on its way (<see cref="OrderStatus.PendingNew"/>)
    /// may not be in that figure yet, so its price × quantity is taken off it: the Leader may wait a little
    /// longer, never spend what is not there. A symbol waiting for funds starts the traders it wants that the
    /// free quote now covers; if it still waits, it asks again after a backoff of market time.
    /// </summary>
    public LeaderDecision OnFundsKnown(LeaderState state, decimal? freeQuote, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (freeQuote is { } answered)
        {
            foreach (var t in state.Traders)
            {
                answered -= t.BuyOrder is { Status: OrderStatus.PendingNew } buy ? buy.Price * buy.Quantity : 0m;
            }

            freeQuote = answered;
        }

        var next = freeQuote is { } free && free != state.FreeQuote ? state with { FreeQuote = free } : state;
        if (!next.WaitingForFunds)
        {
            return ReferenceEquals(next, state) ? LeaderDecision.Unchanged(state) : LeaderDecision.Happened(next);
        }

        var tally = new LeaderTally(next, next.Traders.ToBuilder(), null);
        tally.StartWaiting();
        var decision = tally.Decision();
        if (!decision.State.WaitingForFunds)
        {
            return decision;
        }

        var attempt = decision.State.FundsCheckAttempt;
        var delay = TimeSpan.FromTicks((long)Math.Min(FundsCheckDelay.Ticks * Math.Pow(2, Math.Min(attempt, 16)), MaxFundsCheckDelay.Ticks));
        return decision with { State = decision.State with { FundsCheckAt = time + delay, FundsCheckAttempt = attempt + 1 } };
    }

    // Drops up to `count` traders that have sent no BUY, newest first, each with a TraderFinished event.
    private static ImmutableArray<TraderState> Drop(ImmutableArray<TraderState> traders, int count, List<TradingEvent> events, string why)
    {
        if (count <= 0)
        {
            return traders;
        }

        var kept = traders.ToBuilder();
        var dropped = new List<TradingEvent>();
        for (var i = kept.Count - 1; i >= 0 && dropped.Count < count; i--)
        {
            if (kept[i].BuyOrder is null)
            {
                dropped.Insert(0, new TraderFinished(kept[i].TraderId, TraderOutcome.Canceled, why));
                kept.RemoveAt(i);
            }
        }

        events.AddRange(dropped);
        return kept.Count == traders.Length ? traders : kept.ToImmutable();
    }
}
