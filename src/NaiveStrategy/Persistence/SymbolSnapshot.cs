namespace NaiveStrategy;

/// <summary>
/// A symbol's state as the engine held it at one moment, read-only: what <see cref="NaiveStrategyEngine.GetState"/>
/// returns and what a store is given to save (<see cref="IStrategyStore.SaveSymbol"/>, which keeps its
/// <see cref="StrategySnapshot"/>). The reducers' own records stay inside the engine; changing this changes nothing there.
/// </summary>
public sealed record SymbolSnapshot
{
    /// <summary>The symbol's settings (new traders use these).</summary>
    public required SymbolSettings Settings { get; init; }

    /// <summary>The symbol's trading rules, once fetched.</summary>
    public SymbolFilters? Filters { get; init; }

    /// <summary>Trading status.</summary>
    public SymbolStatus Status { get; init; } = SymbolStatus.Off;

    /// <summary>The running traders, oldest first, each at its latest state.</summary>
    public IReadOnlyList<TraderSnapshot> Traders { get; init; } = [];

    /// <summary>The number of the next trader started.</summary>
    public long NextTraderNumber { get; init; } = 1;

    /// <summary>
    /// Base asset the symbol owns outside its running traders, always below one step: what flooring SELL quantities to
    /// the step left over. The next SELL takes it along as soon as it makes a whole step (<see cref="TraderSnapshot.DustTaken"/>).
    /// </summary>
    public decimal Dust { get; init; }

    /// <summary>
    /// Quote gained (or, when negative, lost) by every trader that has finished, fees included. New traders share what
    /// is left of the budget after losses (<see cref="TraderBudget"/>).
    /// </summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>The symbol's risk guards: peak equity, market day and the guard that fired (with its exit's progress).</summary>
    public GuardSnapshot Guard { get; init; } = new();

    /// <summary>
    /// The account's free quote as the Leader knows it: the engine's last balance answer, moved by every order of this
    /// symbol's traders since. Null while unknown: then traders start without a funds check.
    /// </summary>
    public decimal? FreeQuote { get; init; }

    /// <summary>Traders the Leader would start but the free quote does not cover yet (<see cref="WaitingForFunds"/>).</summary>
    public int WaitingTraders { get; init; }

    /// <summary>While waiting for funds: the market time from which a trade makes the Leader ask for the balance again.</summary>
    public DateTimeOffset? FundsCheckAt { get; init; }

    /// <summary>
    /// Why the settings were refused, once they were: the symbol starts no more traders and stops when its running ones
    /// are done. Cleared by the next start.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>The symbol.</summary>
    public string Symbol => Settings.Symbol;

    /// <summary>True while the symbol waits for funds: it starts the traders it wants as soon as the free quote covers them.</summary>
    public bool WaitingForFunds => WaitingTraders > 0;

    /// <summary>
    /// What a trader started now may spend: the budget, shrunk by realized losses (gains never raise it above the
    /// budget), divided by <c>chunks</c>.
    /// </summary>
    public decimal TraderBudget => LeaderState.ShareOf(Settings, RealizedPnl);

    /// <summary>The snapshot of a Leader's state.</summary>
    internal static SymbolSnapshot Of(LeaderState state) => new()
    {
        Settings = state.Settings,
        Filters = state.Filters,
        Status = state.Status,
        Traders = [.. state.Traders.Select(TraderSnapshot.Of)],
        NextTraderNumber = state.NextTraderNumber,
        Dust = state.Dust,
        RealizedPnl = state.RealizedPnl,
        Guard = GuardSnapshot.Of(state.Guard),
        FreeQuote = state.FreeQuote,
        WaitingTraders = state.WaitingTraders,
        FundsCheckAt = state.FundsCheckAt,
        Refusal = state.Refusal,
    };
}
