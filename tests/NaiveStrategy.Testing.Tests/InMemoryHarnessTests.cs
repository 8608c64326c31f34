using NaiveStrategy.Binance;

namespace NaiveStrategy.Testing.Tests;

public sealed class InMemoryHarnessTests
{
    private static SymbolSettings Settings() => new() { Symbol = "XRPUSDT", Chunks = 1, Budget = 20m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m };

    [Fact]
    public async Task Publish_PriceFallsUnderTheBuy_BuyFilledThenSellOpen()
    {
        await using var harness = await InMemoryHarness.StartAsync(Settings());

        harness.Publish(0.5m);
        await harness.WaitUntilIdleAsync();
        var buy = Assert.Single(harness.OpenOrders);
        Assert.Equal((OrderSide.Buy, 0.495m, 40m), (buy.Side, buy.Price, buy.Quantity));

        harness.PublishPrices(0.49m);
        await harness.WaitUntilIdleAsync();

        Assert.Equal(OrderStatus.Filled, harness.Orders[0].Status);
        var sell = Assert.Single(harness.OpenOrders);
        Assert.Equal(OrderSide.Sell, sell.Side);
    }

    [Fact]
    public async Task StartAsync_SettingsUnderTheNotional_NoOrder()
    {
        await using var harness = await InMemoryHarness.StartAsync(Settings() with { Budget = 5m });

        harness.Publish(0.5m);
        await harness.WaitUntilIdleAsync();

        Assert.Empty(harness.Orders);
        Assert.Contains("MIN_NOTIONAL", harness.Engine.GetState("XRPUSDT")!.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void XrpUsdt_AsBinanceListsIt_PassesItsOwnFilters()
    {
        var xrp = SymbolFilterPresets.XrpUsdt;

        xrp.Validate();
        Assert.Null(xrp.FindFilterFailure(0.5m, 20m));
        Assert.Equal("MIN_NOTIONAL", xrp.FindFilterFailure(0.5m, 19m));
    }
}
