using System.Text.Json.Serialization;

namespace NaiveStrategy;

/// <summary>
/// The storage contract of a symbol's durable state, version <see cref="CurrentVersion"/>: what a store writes and
/// reads back, apart from the reducers' own records (internal to the engine), which may change shape from one release
/// to the next while this stays. Version 1 is the layout the stores wrote before
/// it had a name (settings, status, trader numbering, dust, realized PnL, guards, each trader's state), so files and
/// grain states written then read as version 1. A snapshot of a newer version than this build knows is refused.
/// </summary>
public sealed record StrategySnapshot
{
    /// <summary>The version this build writes, and the newest it reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The contract's version the snapshot was written in.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The symbol's settings.</summary>
    public required SymbolSettings Settings { get; init; }

    /// <summary>The symbol's status.</summary>
    public SymbolStatus Status { get; init; }

    /// <summary>The number of the next trader started.</summary>
    public long NextTraderNumber { get; init; } = 1;

    /// <summary>The symbol's base below one step, outside its traders.</summary>
    public decimal Dust { get; init; }

    /// <summary>What the symbol's finished traders gained or lost.</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>The symbol's risk guards; null for a state saved without them.</summary>
    public GuardSnapshot? Guard { get; init; }

    /// <summary>The running traders, oldest first.</summary>
    public IReadOnlyList<TraderSnapshot> Traders { get; init; } = [];

    /// <summary>What a store keeps of a symbol: its durable part.</summary>
    public static StrategySnapshot Of(SymbolSnapshot symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return new()
        {
            Settings = symbol.Settings,
            Status = symbol.Status,
            NextTraderNumber = symbol.NextTraderNumber,
            Dust = symbol.Dust,
            RealizedPnl = symbol.RealizedPnl,
            Guard = symbol.Guard,
            Traders = symbol.Traders,
        };
    }

    /// <summary>This snapshot, once it is known to be of a version this build reads.</summary>
    /// <exception cref="InvalidDataException">The snapshot is of a newer version than this build reads.</exception>
    internal StrategySnapshot EnsureReadable() =>
        Version > CurrentVersion
            ? throw new InvalidDataException($"The saved state of {Settings.Symbol} is snapshot version {Version}, newer than this build reads ({CurrentVersion}); run the newer version.")
            : this;

    /// <summary>The state the engine resumes from.</summary>
    /// <exception cref="InvalidDataException">The snapshot is of a newer version than this build reads.</exception>
    internal StoredSymbol ToStoredSymbol()
    {
        EnsureReadable();
        return new StoredSymbol(Settings, Status, [.. Traders.Select(t => t.ToState())], NextTraderNumber) { Dust = Dust, RealizedPnl = RealizedPnl, Guard = Guard?.ToState() };
    }
}

/// <summary>
/// A trader's state in a <see cref="StrategySnapshot"/> and in a <see cref="SymbolSnapshot"/>. A trader lives for one
/// buy → sell cycle; the engine resumes it from this after a restart.
/// </summary>
public sealed record TraderSnapshot
{
    /// <summary>The trader's id.</summary>
    public required string TraderId { get; init; }

    /// <summary>The settings the trader was started with.</summary>
    public required SymbolSettings Settings { get; init; }

    /// <summary>The symbol's trading rules.</summary>
    public required SymbolFilters Filters { get; init; }

    /// <summary>The quote amount the trader may spend.</summary>
    public required decimal Budget { get; init; }

    /// <summary>The BUY order, once placed.</summary>
    public OrderSnapshot? BuyOrder { get; init; }

    /// <summary>The SELL order, once placed.</summary>
    public OrderSnapshot? SellOrder { get; init; }

    /// <summary>The price under which the trader asks for another trader.</summary>
    public decimal RebuyPrice { get; init; }

    /// <summary>Whether it has asked.</summary>
    public bool RebuyNotified { get; init; }

    /// <summary>Base the SELL took from (or left in) the symbol's dust.</summary>
    public decimal DustTaken { get; init; }

    /// <summary>Which BUY this is (1 for the first).</summary>
    public int BuyAttempt { get; init; } = 1;

    /// <summary>Market time of the trade that placed the current BUY.</summary>
    public DateTimeOffset? BuyPlacedAt { get; init; }

    /// <summary>The market price seen when the current BUY was placed.</summary>
    public decimal BuyPlacedMarketPrice { get; init; }

    /// <summary>Market time at which the trader last asked for its stale BUY to be canceled.</summary>
    public DateTimeOffset? BuyCancelRequestedAt { get; init; }

    /// <summary>The client order id of the BUY the stale-BUY rule replaced last.</summary>
    public string? ReplacedBuyClientOrderId { get; init; }

    /// <summary>What a risk guard told the trader to do, if one fired.</summary>
    public GuardAction? Halt { get; init; }

    /// <summary>How the trader ended, once it has.</summary>
    public TraderOutcome? Outcome { get; init; }

    /// <summary>The symbol traded.</summary>
    [JsonIgnore]
    public string Symbol => Settings.Symbol;

    /// <summary>The order working on the exchange, if any (a trader never has two).</summary>
    [JsonIgnore]
    public OrderSnapshot? OpenOrder => SellOrder is { IsOpen: true } ? SellOrder : BuyOrder is { IsOpen: true } ? BuyOrder : null;

    /// <summary>
    /// The base the trader holds: what its BUY executed less a commission taken in the base asset, plus what its SELL
    /// took from the symbol's dust (<see cref="DustTaken"/>), minus what it sold.
    /// </summary>
    public decimal HeldQuantity() => Trader.HeldQuantity(ToState());

    /// <summary>The snapshot of a trader's state.</summary>
    internal static TraderSnapshot Of(TraderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new()
        {
            TraderId = state.TraderId,
            Settings = state.Settings,
            Filters = state.Filters,
            Budget = state.Budget,
            BuyOrder = OrderSnapshot.OfOptional(state.BuyOrder),
            SellOrder = OrderSnapshot.OfOptional(state.SellOrder),
            RebuyPrice = state.RebuyPrice,
            RebuyNotified = state.RebuyNotified,
            DustTaken = state.DustTaken,
            BuyAttempt = state.BuyAttempt,
            BuyPlacedAt = state.BuyPlacedAt,
            BuyPlacedMarketPrice = state.BuyPlacedMarketPrice,
            BuyCancelRequestedAt = state.BuyCancelRequestedAt,
            ReplacedBuyClientOrderId = state.ReplacedBuyClientOrderId,
            Halt = state.Halt,
            Outcome = state.Outcome,
        };
    }

    /// <summary>The trader's state.</summary>
    internal TraderState ToState() => new()
    {
        TraderId = TraderId,
        Settings = Settings,
        Filters = Filters,
        Budget = Budget,
        BuyOrder = BuyOrder?.ToOrder(),
        SellOrder = SellOrder?.ToOrder(),
        RebuyPrice = RebuyPrice,
        RebuyNotified = RebuyNotified,
        DustTaken = DustTaken,
        BuyAttempt = BuyAttempt,
        BuyPlacedAt = BuyPlacedAt,
        BuyPlacedMarketPrice = BuyPlacedMarketPrice,
        BuyCancelRequestedAt = BuyCancelRequestedAt,
        ReplacedBuyClientOrderId = ReplacedBuyClientOrderId,
        Halt = Halt,
        Outcome = Outcome,
    };
}

/// <summary>
/// An order a trader or a guard's exit works, as the engine knew it: in a <see cref="StrategySnapshot"/>, a
/// <see cref="SymbolSnapshot"/> and the events that name an order (<see cref="OrderFilled"/>, <see cref="StaleBuyCanceling"/>,
/// <see cref="SymbolStopped"/>).
/// </summary>
/// <param name="ClientOrderId">Our id of the order.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">Limit price (0 for a MARKET order).</param>
/// <param name="Quantity">Ordered quantity.</param>
public sealed record OrderSnapshot(string ClientOrderId, OrderSide Side, decimal Price, decimal Quantity)
{
    /// <summary>The exchange's order id, once known.</summary>
    public long? OrderId { get; init; }

    /// <summary>Last known status.</summary>
    public OrderStatus Status { get; init; } = OrderStatus.PendingNew;

    /// <summary>Cumulative executed quantity.</summary>
    public decimal ExecutedQuantity { get; init; }

    /// <summary>Cumulative commission.</summary>
    public decimal Commission { get; init; }

    /// <summary>Asset the commission was taken in.</summary>
    public string? CommissionAsset { get; init; }

    /// <summary>Cumulative quote executed, when the exchange reports it.</summary>
    public decimal QuoteQuantity { get; init; }

    /// <summary>True while the order can still execute.</summary>
    [JsonIgnore]
    public bool IsOpen => !Status.IsTerminal();

    /// <summary>The snapshot of an order, or null for none.</summary>
    internal static OrderSnapshot? OfOptional(TrackedOrder? order) => order is null ? null : Of(order);

    /// <summary>The snapshot of an order.</summary>
    internal static OrderSnapshot Of(TrackedOrder order) => new(order.ClientOrderId, order.Side, order.Price, order.Quantity)
    {
        OrderId = order.OrderId,
        Status = order.Status,
        ExecutedQuantity = order.ExecutedQuantity,
        Commission = order.Commission,
        CommissionAsset = order.CommissionAsset,
        QuoteQuantity = order.QuoteQuantity,
    };

    /// <summary>The order as the reducers track it.</summary>
    internal TrackedOrder ToOrder() => new(ClientOrderId, Side, Price, Quantity)
    {
        OrderId = OrderId,
        Status = Status,
        ExecutedQuantity = ExecutedQuantity,
        Commission = Commission,
        CommissionAsset = CommissionAsset,
        QuoteQuantity = QuoteQuantity,
    };
}

/// <summary>
/// What a symbol's risk guards remember, in a <see cref="StrategySnapshot"/>: the peak equity for
/// <see cref="SymbolSettings.MaxDrawdown"/>, the market day for <see cref="SymbolSettings.MaxDailyLoss"/>, and the guard
/// that fired with its exit's progress, so a restart finishes an exit exactly once.
/// </summary>
public sealed record GuardSnapshot
{
    /// <summary>The highest equity seen at a market trade.</summary>
    public decimal PeakEquity { get; init; }

    /// <summary>00:00 UTC of the market day the daily loss counts from.</summary>
    public DateTimeOffset? DayStart { get; init; }

    /// <summary>The equity at the first trade of that day.</summary>
    public decimal DayStartEquity { get; init; }

    /// <summary>The guard that fired, until an operator starts the symbol again.</summary>
    public FiredGuardSnapshot? Fired { get; init; }

    /// <summary>The snapshot of the guards' state.</summary>
    internal static GuardSnapshot Of(GuardState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new() { PeakEquity = state.PeakEquity, DayStart = state.DayStart, DayStartEquity = state.DayStartEquity, Fired = FiredGuardSnapshot.Of(state.Fired) };
    }

    /// <summary>The guards' state.</summary>
    internal GuardState ToState() => new() { PeakEquity = PeakEquity, DayStart = DayStart, DayStartEquity = DayStartEquity, Fired = Fired?.ToState() };
}

/// <summary>A guard that fired and what its action has done since, in a <see cref="StrategySnapshot"/>.</summary>
/// <param name="Kind">Which guard.</param>
/// <param name="Action">What it does.</param>
/// <param name="Time">The market time of the trade that fired it.</param>
/// <param name="Price">That trade's price.</param>
/// <param name="Figure">The figure that crossed the threshold.</param>
/// <param name="Threshold">The setting it crossed.</param>
public sealed record FiredGuardSnapshot(GuardKind Kind, GuardAction Action, DateTimeOffset Time, decimal Price, decimal Figure, decimal Threshold)
{
    /// <summary>The exit's MARKET SELL being worked, once placed.</summary>
    public OrderSnapshot? ExitOrder { get; init; }

    /// <summary>MARKET SELLs placed so far.</summary>
    public int ExitAttempts { get; init; }

    /// <summary>Base the exit has sold so far.</summary>
    public decimal Sold { get; init; }

    /// <summary>Quote the exit got for it.</summary>
    public decimal Proceeds { get; init; }

    /// <summary>True once the action is over.</summary>
    public bool Done { get; init; }

    /// <summary>The snapshot of a fired guard, or null for none.</summary>
    internal static FiredGuardSnapshot? Of(FiredGuard? fired) => fired is null ? null : new(fired.Kind, fired.Action, fired.Time, fired.Price, fired.Figure, fired.Threshold)
    {
        ExitOrder = OrderSnapshot.OfOptional(fired.ExitOrder),
        ExitAttempts = fired.ExitAttempts,
        Sold = fired.Sold,
        Proceeds = fired.Proceeds,
        Done = fired.Done,
    };

    /// <summary>The fired guard as the Leader tracks it.</summary>
    internal FiredGuard ToState() => new(Kind, Action, Time, Price, Figure, Threshold)
    {
        ExitOrder = ExitOrder?.ToOrder(),
        ExitAttempts = ExitAttempts,
        Sold = Sold,
        Proceeds = Proceeds,
        Done = Done,
    };
}
