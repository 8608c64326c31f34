namespace NaiveStrategy.Backtesting;

/// <summary>Figures computed from an order journal alone, so they can be checked independently of the engine.</summary>
public static class BacktestReport
{
    /// <summary>
    /// Order counts, fees (valued in quote; base-asset fees at their fill price) and realized PnL at
    /// average cost (fees included) of one symbol's orders.
    /// </summary>
    internal static SymbolReport FromJournal(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders, SymbolCounters counters, decimal budget)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(counters);
        var t = Totals(filters, orders);
        var averageCost = t.BoughtBase > 0 ? t.BoughtQuote / t.BoughtBase : 0m;
        return new SymbolReport
        {
            Symbol = filters.Symbol,
            Budget = budget,
            OrdersPlaced = orders.Count,
            OrdersFilled = orders.Count(o => o.Status == OrderStatus.Filled),
            OrdersCanceled = orders.Count(o => o.Status is OrderStatus.Canceled or OrderStatus.Expired),
            OrdersRejected = orders.Count(o => o.Status == OrderStatus.Rejected) + counters.OrdersNotSent + counters.PlacementsRejected,
            TradersStarted = counters.TradersStarted,
            MaxConcurrentTraders = counters.MaxConcurrentTraders,
            TradersCrashed = counters.TradersCrashed,
            CyclesCompleted = counters.CyclesCompleted,
            FeesPaid = Math.Round(t.Fees, 8),
            RealizedPnl = Math.Round(t.SoldQuote - (t.SoldBase * averageCost), 8),
            OpenPosition = t.BoughtBase - t.SoldBase,
        };
    }

    /// <summary>The open position's gain or loss against its average cost at <paramref name="lastPrice"/>.</summary>
    public static decimal Unrealized(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders, decimal lastPrice)
    {
        var t = Totals(filters, orders);
        var averageCost = t.BoughtBase > 0 ? t.BoughtQuote / t.BoughtBase : 0m;
        return Math.Round((t.BoughtBase - t.SoldBase) * (lastPrice - averageCost), 8);
    }

    private static (decimal Fees, decimal BoughtQuote, decimal BoughtBase, decimal SoldBase, decimal SoldQuote) Totals(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders)
    {
        decimal fees = 0, boughtQuote = 0, boughtBase = 0, soldBase = 0, soldQuote = 0;
        foreach (var o in orders)
        {
            // A MARKET order (a guard's exit) has no price: what it executed for is its quote quantity.
            var notional = o.QuoteQuantity ?? (o.ExecutedQuantity * o.Price);
            var baseFee = o.CommissionAsset == filters.BaseAsset ? o.Commission : 0m;
            var quoteFee = o.CommissionAsset == filters.QuoteAsset ? o.Commission : 0m;
            fees += quoteFee + (baseFee * (o.ExecutedQuantity > 0 ? notional / o.ExecutedQuantity : o.Price));
            if (o.Side == OrderSide.Buy)
            {
                boughtQuote += notional + quoteFee;
                boughtBase += o.ExecutedQuantity - baseFee;
            }
            else
            {
                soldQuote += notional - quoteFee;
                soldBase += o.ExecutedQuantity + baseFee;
            }
        }

        return (fees, boughtQuote, boughtBase, soldBase, soldQuote);
    }
}
