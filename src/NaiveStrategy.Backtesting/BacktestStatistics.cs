namespace NaiveStrategy.Backtesting;

/// <summary>
/// The one home of a backtest report's figures: every <see cref="SymbolReport"/> figure is computed here, from the
/// symbol's order journal, its orders' fills, the replay's track (trades, equity, the engine's counts) and what the
/// running traders hold. A new figure is a property of <see cref="SymbolReport"/>, one line here and one of the writer.
/// </summary>
internal static class BacktestStatistics
{
    /// <summary>The report of one symbol.</summary>
    /// <param name="filters">The symbol's filters (its base and quote assets).</param>
    /// <param name="orders">The symbol's orders the exchange accepted, at their final state.</param>
    /// <param name="fills">The fills of those orders.</param>
    /// <param name="track">The replay's figures of the symbol.</param>
    /// <param name="held">The quantity the running traders hold.</param>
    public static SymbolReport Report(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders, IReadOnlyList<OrderFill> fills, SymbolTrack track, decimal held)
    {
        var counters = track.Counters;
        var t = Totals(filters, orders);
        var sides = FillSides(filters, fills);
        var openPosition = t.BoughtBase - t.SoldBase;
        return new SymbolReport
        {
            Symbol = filters.Symbol,
            Budget = track.Budget,
            OrdersPlaced = orders.Count,
            OrdersFilled = orders.Count(o => o.Status == OrderStatus.Filled),
            OrdersCanceled = orders.Count(o => o.Status is OrderStatus.Canceled or OrderStatus.Expired),
            OrdersRejected = orders.Count(o => o.Status == OrderStatus.Rejected) + counters.OrdersNotSent + counters.PlacementsRejected,
            TradersStarted = counters.TradersStarted,
            MaxConcurrentTraders = counters.MaxConcurrentTraders,
            TradersCrashed = counters.TradersCrashed,
            CyclesCompleted = counters.CyclesCompleted,
            FeesPaid = Math.Round(t.Fees, 8),
            RealizedPnl = Math.Round(t.SoldQuote - (t.SoldBase * t.AverageCost), 8),
            OpenPosition = openPosition,

            // What the running traders hold is theirs; the rest of the position is the symbol's dust.
            Dust = openPosition - held,
            MakerFills = sides.MakerFills,
            TakerFills = sides.TakerFills,
            MakerFees = sides.MakerFees,
            TakerFees = sides.TakerFees,
            StepSize = filters.StepSize,
            Refusal = counters.Refusal,
            FundsWaits = counters.FundsWaits,
            Guards = counters.Guards.Count > 0 ? [.. counters.Guards] : null,
            TradesReplayed = track.Count,
            From = track.Count > 0 ? track.FirstTime : null,
            To = track.Count > 0 ? track.LastTime : null,
            FirstPrice = track.FirstPrice,
            LastPrice = track.LastPrice,
            UnrealizedPnl = Unrealized(t, track.LastPrice),
            TotalPnl = track.Equity - track.Budget,
            MaxDrawdown = track.MaxDrawdown,
            MaxDrawdownFraction = track.MaxDrawdownFraction,
            BuyAndHoldReturn = track.FirstPrice > 0 ? Math.Round((track.LastPrice / track.FirstPrice) - 1, 8) : 0m,
            StrategyReturn = track.Budget > 0 ? Math.Round((track.Equity - track.Budget) / track.Budget, 8) : 0m,
        };
    }

    /// <summary>The open position's gain or loss against its average cost at <paramref name="lastPrice"/>.</summary>
    public static decimal Unrealized(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders, decimal lastPrice) =>
        Unrealized(Totals(filters, orders), lastPrice);

    private static decimal Unrealized(in OrderTotals t, decimal lastPrice) =>
        Math.Round((t.BoughtBase - t.SoldBase) * (lastPrice - t.AverageCost), 8);

    // Fees (valued in quote; base-asset fees at their fill price) and what was bought and sold, fees included.
    private static OrderTotals Totals(SymbolFilters filters, IReadOnlyList<OrderUpdate> orders)
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

        return new OrderTotals(fees, boughtQuote, boughtBase, soldBase, soldQuote);
    }

    // Maker and taker fills and their fees (valued in quote; base-asset fees at their fill price).
    private static (int MakerFills, int TakerFills, decimal MakerFees, decimal TakerFees) FillSides(SymbolFilters filters, IReadOnlyList<OrderFill> fills)
    {
        int makerFills = 0, takerFills = 0;
        decimal makerFees = 0, takerFees = 0;
        foreach (var fill in fills)
        {
            var fee = fill.CommissionAsset == filters.BaseAsset ? fill.Commission * fill.Price : fill.Commission;
            if (fill.IsMaker)
            {
                (makerFills, makerFees) = (makerFills + 1, makerFees + fee);
            }
            else
            {
                (takerFills, takerFees) = (takerFills + 1, takerFees + fee);
            }
        }

        return (makerFills, takerFills, Math.Round(makerFees, 8), Math.Round(takerFees, 8));
    }

    private readonly record struct OrderTotals(decimal Fees, decimal BoughtQuote, decimal BoughtBase, decimal SoldBase, decimal SoldQuote)
    {
        public decimal AverageCost => BoughtBase > 0 ? BoughtQuote / BoughtBase : 0m;
    }
}
