namespace NaiveStrategy;

/// <summary>An order the engine is about to send, recorded before it is sent (write-ahead).</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="TraderId">The trader that wants it.</param>
/// <param name="Request">The order, with its client order id (the idempotency key).</param>
/// <param name="Time">When it was decided.</param>
public sealed record OrderIntent(string Symbol, string TraderId, OrderRequest Request, DateTimeOffset Time);

/// <summary>What a store holds for a symbol: its settings, status, running traders and money.</summary>
/// <param name="Settings">Settings new traders use.</param>
/// <param name="Status">Trading status.</param>
/// <param name="Traders">Running traders at their last saved state.</param>
/// <param name="NextTraderNumber">The number of the next trader (<see cref="LeaderState.NextTraderNumber"/>); 1 for a store that does not keep it.</param>
public sealed record StoredSymbol(SymbolSettings Settings, SymbolStatus Status, IReadOnlyList<TraderState> Traders, long NextTraderNumber = 1)
{
    /// <summary>The symbol's unsold base below one step (<see cref="LeaderState.Dust"/>); 0 for a store that does not keep it.</summary>
    public decimal Dust { get; init; }

    /// <summary>What the symbol's finished traders gained or lost (<see cref="LeaderState.RealizedPnl"/>); 0 for a store that does not keep it.</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>The symbol's risk guards (<see cref="LeaderState.Guard"/>): peak equity, market day, a fired guard and its exit; null for a store that does not keep them.</summary>
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
    /// <summary>Every symbol saved, with its traders.</summary>
    IReadOnlyList<StoredSymbol> Load();

    /// <summary>Saves a symbol's settings, status, traders, dust, realized PnL and guard state (replacing what was saved).</summary>
    void SaveSymbol(LeaderState state);

    /// <summary>Appends an order intent to the journal, before the order is sent. Recording the same intent again (a resend after a restart) changes nothing.</summary>
    void RecordIntent(OrderIntent intent);

    /// <summary>Appends an order update (fill, cancel, …) to the journal.</summary>
    void RecordOrderUpdate(OrderUpdate update);
}
