namespace NaiveStrategy.Sqlite;

/// <summary>What a store file holds, for a <c>status</c> command.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="SchemaVersion">The file's schema version.</param>
/// <param name="Symbols">Every symbol saved, by symbol.</param>
public sealed record StoreStatus(string Path, int SchemaVersion, IReadOnlyList<SymbolStatusEntry> Symbols)
{
    /// <summary>Every order still working (or not yet acknowledged) on the exchange, by symbol then trader.</summary>
    public IReadOnlyList<OpenOrderEntry> OpenOrders =>
        Symbols.SelectMany(s => s.Traders.Where(t => t.State.OpenOrder is not null).Select(t => new OpenOrderEntry(s.Settings.Symbol, t.TraderId, t.State.OpenOrder!))).ToArray();
}

/// <summary>One saved symbol.</summary>
/// <param name="Settings">Settings new traders use.</param>
/// <param name="Status">Trading status.</param>
/// <param name="UpdatedAt">When the symbol was last saved.</param>
/// <param name="Traders">Its running traders, oldest first.</param>
public sealed record SymbolStatusEntry(SymbolSettings Settings, SymbolStatus Status, DateTimeOffset UpdatedAt, IReadOnlyList<TraderStatusEntry> Traders)
{
    /// <summary>The number of the symbol's next trader (<see cref="StrategySnapshot.NextTraderNumber"/>).</summary>
    public long NextTraderNumber { get; init; } = 1;

    /// <summary>The symbol's unsold base below one step (<see cref="StrategySnapshot.Dust"/>).</summary>
    public decimal Dust { get; init; }

    /// <summary>What the symbol's finished traders gained or lost (<see cref="StrategySnapshot.RealizedPnl"/>).</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>The symbol's risk guards (<see cref="StrategySnapshot.Guard"/>); null when never saved with them.</summary>
    public GuardSnapshot? Guard { get; init; }
}

/// <summary>One saved trader, with its current order flattened for display.</summary>
/// <param name="State">The trader's full saved state.</param>
/// <param name="UpdatedAt">When the trader's state last changed in the file.</param>
public sealed record TraderStatusEntry(TraderSnapshot State, DateTimeOffset UpdatedAt)
{
    /// <summary>The trader's id.</summary>
    public string TraderId => State.TraderId;

    /// <summary>The order that describes the trader now: the open one, else the sell, else the buy (null before the first order).</summary>
    public OrderSnapshot? CurrentOrder => State.OpenOrder ?? State.SellOrder ?? State.BuyOrder;

    /// <summary>Side of <see cref="CurrentOrder"/>.</summary>
    public OrderSide? Side => CurrentOrder?.Side;

    /// <summary>Limit price of <see cref="CurrentOrder"/>.</summary>
    public decimal? Price => CurrentOrder?.Price;

    /// <summary>Quantity of <see cref="CurrentOrder"/>.</summary>
    public decimal? Quantity => CurrentOrder?.Quantity;

    /// <summary>Status of <see cref="CurrentOrder"/>.</summary>
    public OrderStatus? OrderStatus => CurrentOrder?.Status;

    /// <summary>Executed quantity of <see cref="CurrentOrder"/>.</summary>
    public decimal? ExecutedQuantity => CurrentOrder?.ExecutedQuantity;
}

/// <summary>An order not yet terminal, as saved.</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="TraderId">The trader that owns it.</param>
/// <param name="Order">The order.</param>
public sealed record OpenOrderEntry(string Symbol, string TraderId, OrderSnapshot Order);
