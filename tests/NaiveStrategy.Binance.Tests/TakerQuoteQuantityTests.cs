namespace NaiveStrategy.Binance.Tests;

// A LIMIT order that crosses the market on arrival takes at the market's price, not at its limit: what it executed for
// is the exchange's cumulative quote (REST cummulativeQuoteQty, executionReport Z), read for every order type.
public sealed class TakerQuoteQuantityTests : SandboxExchangeTests
{
    [Fact]
    public async Task PlaceLimitOrderAsync_BuyAboveTheMarket_AnswerCarriesTheMarketPricesQuote()
    {
        Server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.5m, 1_000m, T0));

        var placed = await Exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "taker-b", OrderSide.Buy, 0.55m, 40m));

        placed.Error.Should().BeNull();
        placed.Value.Status.Should().Be(OrderStatus.Filled, "a BUY above the last trade takes on arrival");
        placed.Value.QuoteQuantity.Should().Be(20m, "40 at the market's 0.5, not at the 0.55 limit (22)");
    }

    [Fact]
    public async Task OrderUpdates_LimitSellBelowTheMarket_ReportCarriesTheMarketPricesQuote()
    {
        Server.Deposit("XRP", 100m);
        var updates = new List<OrderUpdate>();
        using var subscription = Exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await Signals.WaitAsync(109);
        Server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.6m, 1_000m, T0));

        (await Exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "taker-s", OrderSide.Sell, 0.5m, 50m))).IsSuccess.Should().BeTrue();

        var filled = await Wait.ForAsync(
            () =>
            {
                lock (updates)
                {
                    return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "taker-s" && u.Status == OrderStatus.Filled));
                }
            },
            "the SELL's fill report",
            TimeSpan.FromSeconds(5),
            every: TimeSpan.FromMilliseconds(50));
        filled.QuoteQuantity.Should().Be(30m, "50 at the market's 0.6, not at the 0.5 limit (25)");
    }

    [Fact]
    public async Task GetOrderAsync_RestingLimitOrderFilledLater_QuoteAtItsOwnPrice()
    {
        (await Exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "maker-b", OrderSide.Buy, 0.5m, 40m))).IsSuccess.Should().BeTrue();
        Server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1_000m, T0));

        var found = await Wait.ForAsync(
            async () => await Exchange.GetOrderAsync("XRPUSDT", "maker-b") is { IsSuccess: true, Value.Status: OrderStatus.Filled } r ? r.Value : null,
            "the resting BUY filled",
            TimeSpan.FromSeconds(5),
            every: TimeSpan.FromMilliseconds(50));

        found.QuoteQuantity.Should().Be(20m, "a maker trades at its own limit price");
    }
}
