using System.Collections.Immutable;

namespace NaiveStrategy;

/// <summary>The state of a symbol's leader; immutable.</summary>
internal sealed record LeaderState
{
    /// <summary>The symbol's settings (new traders use these).</summary>
    public required SymbolSettings Settings
    {
        get;
        init
        {
            field = value;
            Band = GuardMath.Band(value, Traders, Dust, RealizedPnl, Guard);
        }
    }

    /// <summary>
    /// The symbol's risk guards: peak equity, market day and the guard that fired (with its exit's progress).
    /// Saved and restored with the state.
    /// </summary>
    public GuardState Guard
    {
        get;
        init
        {
            field = value ?? throw new ArgumentNullException(nameof(value));
            Band = GuardMath.Band(Settings, Traders, Dust, RealizedPnl, value);
        }
    } = GuardState.None;

    /// <summary>
    /// Where the guards act (derived from the settings, traders, money and <see cref="Guard"/> whenever they change): a
    /// trade inside the band fires no guard and moves neither the peak equity nor the market day.
    /// </summary>
    internal GuardBand Band { get; private init; } = GuardBand.Open;

    /// <summary>
    /// The next market time at which a trade may change the state whatever its price: a balance check while waiting
    /// for funds, or the start of a new market day for <see cref="SymbolSettings.MaxDailyLoss"/>. Null when none.
    /// </summary>
    internal DateTimeOffset? NextDeadline
    {
        get
        {
            var reset = Band.Active && Band.ResetAt != DateTimeOffset.MaxValue ? Band.ResetAt : (DateTimeOffset?)null;
            return FundsCheckAt is { } check && (reset is null || check < reset) ? check : reset;
        }
    }

    /// <summary>When the symbol's input streams last failed, for its readiness; not saved.</summary>
    internal StreamHealth Streams { get; init; }

    /// <summary>The symbol's trading rules, once fetched.</summary>
    public SymbolFilters? Filters { get; init; }

    /// <summary>Trading status.</summary>
    public SymbolStatus Status { get; init; } = SymbolStatus.Off;

    /// <summary>
    /// The first part of the ids of traders started from now on (<c>{prefix}-{number}</c>): the engine
    /// sets it to its run's id (start time in base 36) and the symbol, so ids stay unique across runs and symbols.
    /// </summary>
    public string TraderIdPrefix { get; init; } = "t";

    /// <summary>The number of the next trader started; saved and restored with the state, so the Leader stays a pure function of it.</summary>
    public long NextTraderNumber { get; init; } = 1;

    /// <summary>
    /// Base asset the symbol owns outside its running traders, always below one step: what flooring SELL
    /// quantities to the step left over. The next SELL takes it along as soon as it makes a whole step
    /// (<see cref="TraderState.DustTaken"/>). Saved and restored with the state.
    /// </summary>
    public decimal Dust
    {
        get;
        init
        {
            field = value;
            Band = GuardMath.Band(Settings, Traders, value, RealizedPnl, Guard);
        }
    }

    /// <summary>
    /// Quote gained (or, when negative, lost) by every trader that has finished: what they got back for
    /// what they spent, fees included. Saved and restored with the state. New traders share what is left of
    /// the budget after losses (<see cref="TraderBudget"/>).
    /// </summary>
    public decimal RealizedPnl
    {
        get;
        init
        {
            field = value;
            Band = GuardMath.Band(Settings, Traders, Dust, value, Guard);
        }
    }

    /// <summary>
    /// The account's free quote as the Leader knows it: the engine's last balance answer, moved by every
    /// order of this symbol's traders since (a BUY takes its price × quantity, a SELL brings its proceeds
    /// back). Null while unknown: then traders start without a funds check.
    /// </summary>
    public decimal? FreeQuote { get; init; }

    /// <summary>Traders the Leader would start but the free quote does not cover yet (<see cref="WaitingForFunds"/>).</summary>
    public int WaitingTraders { get; init; }

    /// <summary>True while the symbol waits for funds: it starts the traders it wants as soon as the free quote covers them.</summary>
    public bool WaitingForFunds => WaitingTraders > 0;

    /// <summary>While waiting for funds: the market time from which a trade makes the Leader ask for the balance again (backoff).</summary>
    public DateTimeOffset? FundsCheckAt { get; init; }

    /// <summary>Balance checks made in a row while waiting for funds (the backoff's exponent).</summary>
    public int FundsCheckAttempt { get; init; }

    /// <summary>
    /// Why the settings were refused (<see cref="SettingsRefused"/>), once they were: the symbol starts no
    /// more traders and stops when its running ones are done. Cleared by the next start.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>
    /// What a trader started now may spend: the budget, shrunk by realized losses (gains never raise it
    /// above the budget), divided by <c>chunks</c>.
    /// </summary>
    public decimal TraderBudget => ShareOf(Settings, RealizedPnl);

    /// <summary>The running traders, oldest first, each at its latest state.</summary>
    public ImmutableArray<TraderState> Traders
    {
        get;
        init
        {
            field = value;
            QuietFrom = ComputeQuietFrom(value);
            Band = GuardMath.Band(Settings, value, Dust, RealizedPnl, Guard);
        }
    } = [];

    /// <summary>
    /// A market trade at or above this price changes no trader (each has its buy order and is either
    /// past its rebuy notification or above its rebuy level); null when any trader still waits for its
    /// first trade. Derived from <see cref="Traders"/> whenever they change, so the trade path can skip
    /// the traders with one comparison.
    /// </summary>
    internal decimal? QuietFrom { get; private init; } = decimal.MinValue;

    private static decimal? ComputeQuietFrom(ImmutableArray<TraderState> traders)
    {
        var quietFrom = decimal.MinValue;
        foreach (var t in traders)
        {
            if (t.Outcome is not null || t.Halt is not null)
            {
                continue; // a halted trader reacts to no trade
            }

            if (t.BuyOrder is null || (t.Settings.RepricesStaleBuys && t.BuyOrder.IsOpen))
            {
                // Waiting for its first trade, or its open BUY may go stale with time or a rising price.
                return null;
            }

            if (!t.RebuyNotified && t.RebuyPrice > quietFrom)
            {
                quietFrom = t.RebuyPrice;
            }
        }

        return quietFrom;
    }

    /// <summary>The symbol.</summary>
    public string Symbol => Settings.Symbol;

    internal static decimal ShareOf(SymbolSettings settings, decimal realizedPnl) =>
        Math.Max(0m, Math.Min(settings.Budget, settings.Budget + realizedPnl)) / settings.Chunks;

    /// <summary>A stopped leader for <paramref name="settings"/>.</summary>
    /// <param name="settings">The symbol's settings.</param>
    /// <param name="traderIdPrefix">The first part of trader ids (the engine's run id).</param>
    public static LeaderState Create(SymbolSettings settings, string traderIdPrefix = "t") => new()
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings)),
        TraderIdPrefix = traderIdPrefix ?? throw new ArgumentNullException(nameof(traderIdPrefix)),
    };
}

/// <summary>The result of a leader step.</summary>
/// <param name="State">The new state (the same instance when nothing changed).</param>
/// <param name="Commands">Orders to send, in order.</param>
/// <param name="Events">What happened, in order.</param>
internal readonly record struct LeaderDecision(LeaderState State, IReadOnlyList<TradingCommand> Commands, IReadOnlyList<TradingEvent> Events)
{
    /// <summary>No change, nothing to do, nothing happened.</summary>
    public static LeaderDecision Unchanged(LeaderState state) => new(state, [], []);

    /// <summary>A new state and what happened, with nothing to do.</summary>
    public static LeaderDecision Happened(LeaderState state, params TradingEvent[] events) => new(state, [], events);
}
