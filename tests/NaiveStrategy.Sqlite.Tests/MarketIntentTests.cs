using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

// A guard's exit MARKET SELL is journaled like any order; after a restart the engine records it again before sending it
// once more with the same client order id (the exchange never got it): that must be the same intent, not a refusal.
public sealed class MarketIntentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static OrderIntent MarketSell() =>
        new("XRPUSDT", "r-x1", new OrderRequest("XRPUSDT", "r-x1", OrderSide.Sell, 0m, 79m) { Type = OrderType.Market }, T0);

    [Fact]
    public void RecordIntent_MarketSellAgainAfterReopening_RecordedOnce()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.RecordIntent(MarketSell());
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        reopened.RecordIntent(MarketSell());

        reopened.ReadIntents().Should().Equal(MarketSell());
    }

    [Fact]
    public void RecordIntent_LimitOrderUnderAMarketSellsId_Throws()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.RecordIntent(MarketSell());

        var act = () => store.RecordIntent(MarketSell() with { Request = MarketSell().Request with { Type = OrderType.Limit } });

        act.Should().Throw<StrategyStoreException>().WithMessage("*r-x1*already recorded*different order*");
    }
}
