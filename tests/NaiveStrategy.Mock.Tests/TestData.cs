using NaiveStrategy.Binance;
using NaiveStrategy.Testing;
namespace NaiveStrategy.Mock.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // XRPUSDT as Binance lists it (tick 0.0001, step 1, MIN_NOTIONAL 10).
    public static readonly SymbolFilters Xrp = SymbolFilterPresets.XrpUsdt;
}
