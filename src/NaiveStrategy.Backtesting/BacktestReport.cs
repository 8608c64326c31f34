namespace NaiveStrategy.Backtesting;

/// <summary>Figures computed from an order journal alone, so they can be checked independently of the engine.</summary>
public static class BacktestReport
{
    /// <summary>The open position's gain or loss against its average cost at <paramref name="lastPrice"/>.</summary>
    public static decimal Unrealized(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders, decimal lastPrice) =>
        BacktestStatistics.Unrealized(filters, orders, lastPrice);
}
