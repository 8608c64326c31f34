namespace NaiveStrategy;

/// <summary>An order the engine is about to send, recorded before it is sent (write-ahead).</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="TraderId">The trader that wants it.</param>
/// <param name="Request">The order, with its client order id (the idempotency key).</param>
/// <param name="Time">When it was decided.</param>
public sealed record OrderIntent(string Symbol, string TraderId, OrderRequest Request, DateTimeOffset Time);

/// <summary>A saved symbol as the engine resumes it (<see cref="StrategySnapshot.ToStoredSymbol"/>).</summary>
/// <param name="Settings">Settings new traders use.</param>
/// <param name="Status">Trading status.</param>
/// <param name="Traders">Running traders at their last saved state.</param>
/// <param name="NextTraderNumber">The number of the next trader (<see cref="LeaderState.NextTraderNumber"/>).</param>
internal sealed record StoredSymbol(SymbolSettings Settings, SymbolStatus Status, IReadOnlyList<TraderState> Traders, long NextTraderNumber = 1)
{
    /// <summary>The symbol's unsold base below one step (<see cref="LeaderState.Dust"/>).</summary>
    public decimal Dust { get; init; }

    /// <summary>What the symbol's finished traders gained or lost (<see cref="LeaderState.RealizedPnl"/>).</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>The symbol's risk guards (<see cref="LeaderState.Guard"/>); null for a state saved without them.</summary>
    public GuardState? Guard { get; init; }
}

/// <summary>
/// Durable state of the engine, so a restart (even after kill -9) resumes every trader from its real
/// state with the same id, and no order is sent twice.
/// The engine calls it synchronously on the symbol's serialized loop, in this order for each input:
/// <see cref="SaveSymbol"/> with the new state (which holds any order about to be sent as
/// <see cref="OrderStatus.PendingNew"/>), then <see cref="RecordIntent"/> for each order, then sends
/// them. A store must therefore be local and fast (an embedded database file), and durable when a
/// method returns.
/// </summary>
public interface IStrategyStore
{
    /// <summary>Every symbol saved, each as the <see cref="StrategySnapshot"/> it was saved as.</summary>
    IReadOnlyList<StrategySnapshot> Load();

    /// <summary>
    /// Saves a symbol (replacing what was saved): what a store keeps of it is its <see cref="StrategySnapshot"/>
    /// (<see cref="StrategySnapshot.Of(SymbolSnapshot)"/>: settings, status, traders, numbering, dust, realized PnL and
    /// guards); the rest of <paramref name="symbol"/> (filters, free quote, …) is what the engine knows now, for a store
    /// that records more.
    /// </summary>
    void SaveSymbol(SymbolSnapshot symbol);

    /// <summary>Appends an order intent to the journal, before the order is sent. Recording the same intent again (a resend after a restart) changes nothing.</summary>
    void RecordIntent(OrderIntent intent);

    /// <summary>Appends an order update (fill, cancel, …) to the journal.</summary>
    void RecordOrderUpdate(OrderUpdate update);
}
