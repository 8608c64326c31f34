namespace NaiveStrategy.Backtesting.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // XRPUSDT as Binance listed it in 2021 (tick 0.0001, step 1, MIN_NOTIONAL 10).
    public static readonly SymbolFilters Xrp = new()
    {
        Symbol = "XRPUSDT",
        BaseAsset = "XRP",
        QuoteAsset = "USDT",
        TickSize = 0.0001m,
        StepSize = 1m,
        MinQuantity = 1m,
        MaxQuantity = 90_000_000m,
        MinPrice = 0.0001m,
        MaxPrice = 1000m,
        MinNotional = 10m,
        NotionalFilterName = "MIN_NOTIONAL",
    };
}
