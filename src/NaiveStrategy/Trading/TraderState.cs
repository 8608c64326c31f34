namespace NaiveStrategy;

/// <summary>
/// The whole state of one trader; immutable. A trader lives for one buy → sell cycle.
/// Restoring a trader (after a crash or a restart) is resuming from this value.
/// </summary>
internal sealed record TraderState
{
    /// <summary>Unique id, in every log line about the trader and in its client order ids.</summary>
    public required string TraderId { get; init; }

    /// <summary>The settings the trader was started with (running traders keep theirs when settings change).</summary>
    public required SymbolSettings Settings { get; init; }

    /// <summary>The symbol's trading rules.</summary>
    public required SymbolFilters Filters { get; init; }

    /// <summary>The quote amount this trader may spend (the symbol's budget / chunks).</summary>
    public required decimal Budget { get; init; }

    /// <summary>The buy order, once placed.</summary>
    public TrackedOrder? BuyOrder { get; init; }

    /// <summary>The sell order, once placed.</summary>
    public TrackedOrder? SellOrder { get; init; }

    /// <summary>The price strictly under which the trader asks for another trader (set with the buy order).</summary>
    public decimal RebuyPrice { get; init; }

    /// <summary>True once the trader has asked the leader for another trader (it asks once).</summary>
    public bool RebuyNotified { get; init; }

    /// <summary>
    /// Base asset the trader's SELL took from the symbol's dust (<see cref="LeaderState.Dust"/>) on top of
    /// what it bought, or, when negative, the remainder below one step it left there: the SELL sells
    /// <c>floor_to(step, held + dust)</c>, so what stays outside the traders is always below one step.
    /// </summary>
    public decimal DustTaken { get; init; }

    /// <summary>
    /// Which BUY this is: 1 for the first, one more each time the stale-BUY rule
    /// (<see cref="SymbolSettings.MaxBuyWait"/>, <see cref="SymbolSettings.MaxBuyDistance"/>) had the BUY
    /// canceled and placed again. The first BUY's client order id is <c>{TraderId}-b</c>, later ones
    /// <c>{TraderId}-b{n}</c>, so every order the trader sends has its own id.
    /// </summary>
    public int BuyAttempt { get; init; } = 1;

    /// <summary>Market time of the trade that placed the current BUY (for <see cref="SymbolSettings.MaxBuyWait"/>).</summary>
    public DateTimeOffset? BuyPlacedAt { get; init; }

    /// <summary>The market price seen when the current BUY was placed (for <see cref="SymbolSettings.MaxBuyDistance"/>).</summary>
    public decimal BuyPlacedMarketPrice { get; init; }

    /// <summary>Market time at which the trader last asked for its stale BUY to be canceled; null when it has not.</summary>
    public DateTimeOffset? BuyCancelRequestedAt { get; init; }

    /// <summary>The client order id of the BUY the stale-BUY rule replaced last: late updates of it change nothing.</summary>
    public string? ReplacedBuyClientOrderId { get; init; }

    /// <summary>
    /// Set when a risk guard fired (<see cref="GuardState.Fired"/>): the trader sends no BUY and asks for no trader
    /// again; with <see cref="GuardAction.Exit"/> it places no SELL either and ends <see cref="TraderOutcome.Exited"/>
    /// once its order is canceled.
    /// </summary>
    public GuardAction? Halt { get; init; }

    /// <summary>Set when the trader's life has ended.</summary>
    public TraderOutcome? Outcome { get; init; }

    /// <summary>The symbol traded.</summary>
    public string Symbol => Settings.Symbol;

    /// <summary>The order currently working on the exchange, if any (a trader never has two).</summary>
    public TrackedOrder? OpenOrder => SellOrder is { IsOpen: true } ? SellOrder : BuyOrder is { IsOpen: true } ? BuyOrder : null;

    /// <summary>
    /// The base the trader holds: what its BUY executed less a commission taken in the base asset, plus what
    /// its SELL took from the symbol's dust (<see cref="DustTaken"/>), minus what it sold.
    /// </summary>
    public decimal HeldQuantity() => Trader.HeldQuantity(this);

    /// <summary>A fresh trader: no orders, rebuy not notified, <c>budget / chunks</c> to spend.</summary>
    public static TraderState Fresh(string traderId, SymbolSettings settings, SymbolFilters filters) =>
        Fresh(traderId, settings, filters, (settings ?? throw new ArgumentNullException(nameof(settings))).TraderBudget);

    /// <summary>A fresh trader with <paramref name="budget"/> to spend (the Leader's share of what is left of the symbol's budget).</summary>
    public static TraderState Fresh(string traderId, SymbolSettings settings, SymbolFilters filters, decimal budget) => new()
    {
        TraderId = traderId,
        Settings = settings,
        Filters = filters,
        Budget = budget,
    };
}
