using System.Collections.Immutable;
using System.Globalization;

namespace NaiveStrategy;

/// <summary>
/// The Leader's state being built by one step, with what the step does (commands) and what happened
/// (events): trader lifecycle (replace, stop, wind down) and the symbol's money (free quote, dust,
/// realized PnL, waiting for funds). Mutable, and never leaves the step that made it: a struct in the step's local
/// variable, never copied, so the thousands of steps of a backtest allocate no tally.
/// </summary>
internal struct LeaderTally(LeaderState state, ImmutableArray<TraderState>.Builder traders, List<TradingEvent>? leading)
{
    private SymbolStatus _status = state.Status;
    private long _nextNumber = state.NextTraderNumber;
    private decimal? _freeQuote = state.FreeQuote;
    private decimal _dust = state.Dust;
    private decimal _realized = state.RealizedPnl;
    private int _waiting = state.WaitingTraders;
    private string? _refusal = state.Refusal;
    private DateTimeOffset? _checkAt = state.FundsCheckAt;
    private bool _checking;
    private GuardState _guard = state.Guard;

    // Made on first use: most steps (an order acknowledged, a fill routed) ask for nothing, and a backtest makes
    // thousands of steps per setting.
    private List<TradingCommand>? _commands;
    private List<TradingEvent>? _events = leading;

    public List<TradingCommand> Commands => _commands ??= new(2);

    public List<TradingEvent> Events => _events ??= new(4);

    private SymbolSettings Settings => state.Settings;

    private decimal Budget => LeaderState.ShareOf(Settings, _realized);

    private string QuoteAsset => state.Filters?.QuoteAsset ?? "";

    // The free quote not already promised to traders that have not bought yet (null: unknown).
    private decimal? Available
    {
        get
        {
            if (_freeQuote is not { } free)
            {
                return null;
            }

            foreach (var t in traders)
            {
                free -= t.BuyOrder is null && t.Outcome is null ? t.Budget : 0m;
            }

            return free;
        }
    }

    // The quote and base a trader's step moved: its orders take or give back free quote, its SELL
    // takes or leaves dust, and a trader that finishes adds what it gained or lost to the realized PnL.
    public void Account(TraderState before, TraderState after)
    {
        var committed = Trader.QuoteCommitted(after);
        var moved = committed - Trader.QuoteCommitted(before);
        if (_freeQuote is { } free && moved != 0)
        {
            _freeQuote = free - moved;
        }

        _dust -= after.DustTaken - before.DustTaken;
        if (before.Outcome is null && after.Outcome is not null)
        {
            _realized -= committed;
            if (after.Halt == GuardAction.Exit)
            {
                // Its base goes to the guard's MARKET SELL (which brings the quote back into the realized PnL).
                _dust += Trader.HeldQuantity(after);
            }
        }
    }

    public void Finish(TraderFinished finished, bool fundsShort)
    {
        var index = IndexOf(finished.TraderId);
        if (index >= 0)
        {
            traders.RemoveAt(index);
        }

        if (_guard.Fired is not null)
        {
            if (traders.Count == 0)
            {
                ContinueGuard();
            }

            return;
        }

        if (_status == SymbolStatus.On && _refusal is null)
        {
            if (fundsShort)
            {
                // The exchange knows better than our estimate: wait for a balance answer, never stop.
                _freeQuote = 0m;
                CheckFunds();
                StartOrWait(TraderStartReason.Replacement);
                return;
            }

            if (finished.Outcome is TraderOutcome.Completed or TraderOutcome.Canceled)
            {
                // Chunks are a ceiling at every moment: after a settings change, finished traders are
                // replaced only while fewer than chunks run.
                if (traders.Count < Settings.Chunks)
                {
                    StartOrWait(TraderStartReason.Replacement);
                }

                return;
            }
        }

        if (traders.Count > 0 || _status == SymbolStatus.Off)
        {
            return;
        }

        if (_status == SymbolStatus.Shutdown)
        {
            Stop(_refusal is null ? new SymbolStopped(SymbolStopReason.ShutdownComplete, []) : new SymbolStopped(SymbolStopReason.SettingsRefused, [], null, _refusal));
        }
        else if (_waiting == 0)
        {
            Stop(new SymbolStopped(SymbolStopReason.NoTraderLeft, [], finished.Outcome));
        }
    }

    // The settings cannot trade: start nothing more, let the running traders finish, then stop.
    public void Refuse(string message)
    {
        _refusal ??= message;
        _waiting = 0;
        if (_status == SymbolStatus.On)
        {
            _status = SymbolStatus.Shutdown;
        }
    }

    public void Rebuy(NotifyRebuy rebuy)
    {
        if (IndexOf(rebuy.TraderId) < 0)
        {
            Events.Add(new UnknownTraderNotified(rebuy.TraderId));
            return;
        }

        Events.Add(new RebuyTriggered(rebuy.TraderId, rebuy.Price));
        if (_status == SymbolStatus.On && _refusal is null && traders.Count + _waiting < Settings.Chunks)
        {
            StartOrWait(TraderStartReason.Rebuy);
        }
        else
        {
            Events.Add(new AllTradersStarted(rebuy.TraderId));
        }
    }

    // Starts a trader when the free quote covers its share; otherwise the symbol waits for funds.
    public void StartOrWait(TraderStartReason reason)
    {
        var budget = Budget;
        if (Available is { } available && available < budget)
        {
            var wasWaiting = _waiting > 0;
            _waiting = Math.Min(_waiting + 1, Math.Max(0, Settings.Chunks - traders.Count));
            if (!wasWaiting && _waiting > 0)
            {
                Events.Add(new WaitingForFunds(budget, available, QuoteAsset));
                CheckFunds();
            }

            return;
        }

        StartTrader(reason, budget);
    }

    // Starts the traders the symbol waits funds for, as far as the free quote covers them.
    public void StartWaiting()
    {
        if (_waiting == 0)
        {
            return;
        }

        if (_status != SymbolStatus.On || _refusal is not null)
        {
            _waiting = 0;
            return;
        }

        var before = Available;
        var started = false;
        while (_waiting > 0)
        {
            var budget = Budget;
            if (traders.Count >= Settings.Chunks)
            {
                _waiting = 0;
                break;
            }

            if (Available is { } available && available < budget)
            {
                break;
            }

            StartTrader(TraderStartReason.FundsReturned, budget);
            _waiting--;
            started = true;
        }

        if (started && _waiting == 0)
        {
            Events.Add(new FundsReturned(before ?? 0m, QuoteAsset));
        }
    }

    // Asks the engine for the balance once per step, after the step's orders (so the exchange has them
    // when it answers); the answer schedules the next check.
    public void CheckFunds()
    {
        _checking = true;
        _checkAt = null;
    }

    public LeaderDecision Decision()
    {
        var waiting = _status == SymbolStatus.On ? _waiting : 0;
        var next = state with
        {
            Status = _status,
            // The tally's last use of the builder: its array becomes the state's without a copy when its size did not change.
            Traders = traders.DrainToImmutable(),
            NextTraderNumber = _nextNumber,
            FreeQuote = _freeQuote,
            Dust = _dust,
            RealizedPnl = _realized,
            WaitingTraders = waiting,
            Refusal = _refusal,
            Guard = _guard,
            FundsCheckAt = waiting == 0 ? null : _checkAt,
            FundsCheckAttempt = waiting == 0 ? 0 : state.FundsCheckAttempt,
        };
        if (_checking)
        {
            Commands.Add(new CheckFunds());
        }

        return new(next, _commands ?? (IReadOnlyList<TradingCommand>)[], _events ?? (IReadOnlyList<TradingEvent>)[]);
    }

    /// <summary>The most MARKET SELLs one exit sends (each sells what the previous left, e.g. above MARKET_LOT_SIZE.maxQty).</summary>
    public const int MaxExitAttempts = 5;

    /// <summary>
    /// Once a fired guard's traders are all done: a Stop is over; an Exit sells what the symbol holds (its dust, where
    /// the exited traders' base went) with one MARKET SELL, re-sized to LOT_SIZE / MARKET_LOT_SIZE and refused below
    /// NOTIONAL at the price that fired the guard; when nothing (or less than a step) is left, the exit is over.
    /// </summary>
    public void ContinueGuard()
    {
        if (_guard.Fired is not { Done: false } fired || traders.Count > 0 || fired.ExitOrder is { IsOpen: true })
        {
            return;
        }

        if (fired.Action == GuardAction.Stop)
        {
            EndGuard(fired, "stop: every BUY canceled, every holder done");
            return;
        }

        var filters = state.Filters ?? throw new InvalidOperationException($"The {state.Symbol} leader has no symbol filters: start it first.");
        var quantity = _dust > 0 ? filters.MarketQuantity(_dust) : 0m;
        if (quantity <= 0)
        {
            EndGuard(fired, $"exit: sold {Format(fired.Sold)} {filters.BaseAsset} for {Format(fired.Proceeds)} {filters.QuoteAsset}; {Format(_dust)} {filters.BaseAsset} left, below one step");
            return;
        }

        var failure = filters.FindMarketFilterFailure(fired.Price, quantity);
        if (failure is null && fired.ExitAttempts >= MaxExitAttempts)
        {
            failure = "attempts";
        }

        if (failure is not null)
        {
            var message = failure == "attempts"
                ? $"{state.Symbol}: the exit sent {MaxExitAttempts.ToString(CultureInfo.InvariantCulture)} MARKET SELLs; {Format(_dust)} {filters.BaseAsset} left unsold"
                : $"{state.Symbol}: exit MARKET SELL {Format(quantity)} at about {Format(fired.Price)} breaks {failure}: not sent; {Format(_dust)} {filters.BaseAsset} left unsold";
            Events.Add(new GuardExitNotSent(quantity, failure, message));
            EndGuard(fired, message);
            return;
        }

        var attempt = fired.ExitAttempts + 1;
        var clientOrderId = state.TraderIdPrefix + "-x" + attempt.ToString(CultureInfo.InvariantCulture);
        _guard = _guard with { Fired = fired with { ExitOrder = new TrackedOrder(clientOrderId, OrderSide.Sell, 0m, quantity), ExitAttempts = attempt } };
        Commands.Add(new PlaceOrder(clientOrderId, new OrderRequest(state.Symbol, clientOrderId, OrderSide.Sell, 0m, quantity) { Type = OrderType.Market }));
    }

    /// <summary>The exit's MARKET SELL executed further: base out of the dust, quote into the realized PnL and the free quote.</summary>
    public void ExitExecuted(TrackedOrder exit, decimal baseOut, decimal quoteIn)
    {
        _dust -= baseOut;
        _realized += quoteIn;
        if (_freeQuote is { } free)
        {
            _freeQuote = free + quoteIn;
        }

        var fired = _guard.Fired!;
        _guard = _guard with { Fired = fired with { ExitOrder = exit, Sold = fired.Sold + exit.ExecutedQuantity - (fired.ExitOrder?.ExecutedQuantity ?? 0m), Proceeds = fired.Proceeds + quoteIn } };
    }

    /// <summary>The exit's MARKET SELL was refused for good: the base stays unsold and the guard's action is over.</summary>
    public void ExitRefused(TrackedOrder exit, ExchangeError error)
    {
        var fired = _guard.Fired!;
        _guard = _guard with { Fired = fired with { ExitOrder = exit } };
        var message = $"{state.Symbol}: exit MARKET SELL {Format(exit.Quantity)} refused by the exchange ({error}); {Format(_dust)} {state.Filters?.BaseAsset} left unsold";
        Events.Add(new GuardExitNotSent(exit.Quantity, error.Code.ToString(CultureInfo.InvariantCulture), message));
        EndGuard(_guard.Fired!, message);
    }

    private void EndGuard(FiredGuard fired, string detail)
    {
        _guard = _guard with { Fired = fired with { Done = true } };
        Stop(new SymbolStopped(SymbolStopReason.GuardFired, [], null, $"{fired.Kind} guard fired: {detail}"));
    }

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private void StartTrader(TraderStartReason reason, decimal budget)
    {
        var trader = TraderState.Fresh(
            state.TraderIdPrefix + "-" + (_nextNumber++).ToString(CultureInfo.InvariantCulture),
            Settings,
            state.Filters ?? throw new InvalidOperationException($"The {state.Symbol} leader has no symbol filters: start it first."),
            budget);
        traders.Add(trader);
        Events.Add(new TraderStarted(trader.TraderId, reason, trader.Budget));
    }

    private void Stop(SymbolStopped stopped)
    {
        Events.Add(stopped);
        _status = SymbolStatus.Off;
        _waiting = 0;
    }

    private int IndexOf(string traderId)
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
