namespace NaiveStrategy.Mock;

/// <summary>One order of a backtest's journal, at its final state, with the trader that placed it.</summary>
/// <param name="Order">The order's final state.</param>
/// <param name="TraderId">The trader that placed it.</param>
public sealed record JournalEntry(OrderUpdate Order, string TraderId);

/// <summary>Figures of one symbol over a backtest. Money is in the symbol's quote asset.</summary>
public sealed record SymbolReport
{
    /// <summary>The symbol.</summary>
    public required string Symbol { get; init; }

    /// <summary>Market trades replayed.</summary>
    public long TradesReplayed { get; init; }

    /// <summary>Orders accepted by the exchange.</summary>
    public int OrdersPlaced { get; init; }

    /// <summary>Orders fully filled.</summary>
    public int OrdersFilled { get; init; }

    /// <summary>Orders canceled or expired.</summary>
    public int OrdersCanceled { get; init; }

    /// <summary>Orders rejected by the exchange or not sent because they broke a filter.</summary>
    public int OrdersRejected { get; init; }

    /// <summary>Traders started.</summary>
    public int TradersStarted { get; init; }

    /// <summary>Most traders running at once.</summary>
    public int MaxConcurrentTraders { get; init; }

    /// <summary>Completed buy → sell cycles.</summary>
    public int CyclesCompleted { get; init; }

    /// <summary>Fees paid, valued in the quote asset (base-asset fees at their fill price).</summary>
    public decimal FeesPaid { get; init; }

    /// <summary>Profit of what was sold, net of every fee, at the average cost of what was bought.</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>Base asset still held at the end.</summary>
    public decimal OpenPosition { get; init; }

    /// <summary>The open position's gain or loss marked to the last price.</summary>
    public decimal UnrealizedPnl { get; init; }

    /// <summary>First market price replayed.</summary>
    public decimal FirstPrice { get; init; }

    /// <summary>Last market price replayed.</summary>
    public decimal LastPrice { get; init; }

    /// <summary>Realized plus unrealized.</summary>
    public decimal TotalPnl => RealizedPnl + UnrealizedPnl;
}

/// <summary>The outcome of a backtest.</summary>
/// <param name="Symbols">Figures per symbol, by symbol name.</param>
/// <param name="Journal">Every order in placement order, at its final state.</param>
public sealed record BacktestResult(IReadOnlyList<SymbolReport> Symbols, IReadOnlyList<JournalEntry> Journal)
{
    /// <summary>Market trades replayed, all symbols.</summary>
    public long TradesReplayed => Symbols.Sum(s => s.TradesReplayed);
}
