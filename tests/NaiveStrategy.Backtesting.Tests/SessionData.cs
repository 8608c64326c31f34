using NaiveStrategy.Mock.Tests;

namespace NaiveStrategy.Backtesting.Tests;

internal static class SessionData
{
    public static readonly DateTimeOffset T0 = TestData.T0;

    // XRPUSDT with fractional quantities and a 5 USDT NOTIONAL: small budgets trade, and partial fills leave dust.
    public static readonly SymbolFilters Xrp = TestData.Xrp with { StepSize = 0.1m, MinQuantity = 0.1m, MinNotional = 5m, NotionalFilterName = "NOTIONAL" };
}
