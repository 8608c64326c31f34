namespace NaiveStrategy.Binance;

/// <summary>
/// Symbols as Binance lists them, for the in-memory exchange, the sandbox, backtests and tests that should meet the
/// real filters. A live engine asks its exchange (<see cref="IExchange.GetSymbolFiltersAsync"/>) instead.
/// </summary>
public static class SymbolFilterPresets
{
    /// <summary>
    /// XRPUSDT from Binance's exchangeInfo (2021-10-12): PRICE_FILTER tick 0.0001 in [0.0001, 10000], LOT_SIZE step 1
    /// in [1, 9222449], MARKET_LOT_SIZE max 9222449 (no step of its own), MIN_NOTIONAL 10, with Binance's decimal scale ("0.00010000"). Change what a test needs with <c>with { MinNotional = 1m }</c>.
    /// </summary>
    public static SymbolFilters XrpUsdt { get; } = new()
    {
        Symbol = "XRPUSDT",
        BaseAsset = "XRP",
        QuoteAsset = "USDT",
        TickSize = 0.00010000m,
        StepSize = 1.00000000m,
        MinPrice = 0.00010000m,
        MaxPrice = 10000.00000000m,
        MinQuantity = 1.00000000m,
        MaxQuantity = 9222449.00000000m,
        MinNotional = 10.00000000m,
        NotionalFilterName = "MIN_NOTIONAL",
        MarketStepSize = 0.00000000m,
        MarketMinQuantity = 0.00000000m,
        MarketMaxQuantity = 9222449.00000000m,
    };
}
