namespace NaiveStrategy.Mock;

/// <summary>
/// What a fill costs and moves: the maker or taker rate, the asset the fee is taken in (<see cref="FeeAsset"/>), and
/// what a BUY must lock so that any of its fills can be paid.
/// </summary>
internal sealed class FeeModel(decimal makerRate, decimal takerRate, FeeAsset feeAsset)
{
    public decimal Rate(bool isMaker) => isMaker ? makerRate : takerRate;

    /// <summary>The quote a BUY locks: its notional, plus the larger fee rate when the fee is paid in the quote asset.</summary>
    public decimal BuyLock(decimal price, decimal quantity) =>
        price * quantity * (feeAsset == FeeAsset.Quote ? 1 + Math.Max(makerRate, takerRate) : 1);

    /// <summary>A fill of <paramref name="quantity"/> at <paramref name="price"/>: what leaves the order's lock, what is credited, the fee.</summary>
    public Settlement Settle(OrderSide side, SymbolFilters filters, decimal quantity, decimal price, bool isMaker)
    {
        var notional = price * quantity;
        var rate = Rate(isMaker);
        if (side == OrderSide.Sell)
        {
            var fee = notional * rate;
            return new Settlement(filters.BaseAsset, quantity, filters.QuoteAsset, notional - fee, fee, filters.QuoteAsset);
        }

        if (feeAsset == FeeAsset.Quote)
        {
            var fee = notional * rate;
            return new Settlement(filters.QuoteAsset, notional * (1 + rate), filters.BaseAsset, quantity, fee, filters.QuoteAsset);
        }

        var baseFee = quantity * rate;
        return new Settlement(filters.QuoteAsset, notional, filters.BaseAsset, quantity - baseFee, baseFee, filters.BaseAsset);
    }
}

/// <summary>One fill's movements: <see cref="Spent"/> of <see cref="SpentAsset"/> out of the lock, <see cref="Received"/> of <see cref="ReceivedAsset"/> in, and the fee.</summary>
internal readonly record struct Settlement(string SpentAsset, decimal Spent, string ReceivedAsset, decimal Received, decimal Fee, string FeeAsset);
