using System.Globalization;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Mock.Tests;

// Issue #24: an order that crosses the last trade's price fills on arrival as taker at that price; a resting order
// that a later trade crosses fills as maker at its own price; each pays its own fee rate.
public sealed class TakerMakerTests
{
    private static readonly DateTimeOffset T0 = TestData.T0;

    private static InMemoryExchange Create(bool partial = false, decimal maker = 0.001m, decimal taker = 0.001m) => new(new InMemoryExchangeOptions
    {
        Symbols = { TestData.Xrp },
        Balances = { ["USDT"] = 100m, ["XRP"] = 100m },
        PartialFills = partial,
        MakerFeeRate = maker,
        TakerFeeRate = taker,
    });

    private static TradeEvent Trade(decimal price, decimal qty = 1000m, long id = 1) => new("XRPUSDT", id, price, qty, T0.AddSeconds(id));

    // An exchange whose order updates are collected, after a trade at 0.5.
    private static (InMemoryExchange Exchange, List<OrderUpdate> Updates, IDisposable Subscription) Listening()
    {
        var exchange = Create();
        var updates = new List<OrderUpdate>();
        var subscription = exchange.OrderUpdates.Subscribe(updates.Add);
        exchange.PublishTrade(Trade(0.5m));
        return (exchange, updates, subscription);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_SellBelowLastTrade_FilledAtOnceAsTakerAtTheTradePrice()
    {
        var exchange = Create(maker: 0.001m, taker: 0.002m);
        exchange.PublishTrade(Trade(0.5m));

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "s", OrderSide.Sell, 0.49m, 40m));

        placed.Value.Status.Should().Be(OrderStatus.Filled);
        placed.Value.Commission.Should().Be(0.04m, "40 × 0.5 × the 0.2 % taker rate");
        var fill = (await exchange.GetOrderFillsAsync("XRPUSDT", placed.Value.OrderId)).Value.Should().ContainSingle().Subject;
        (fill.Price, fill.Quantity, fill.IsMaker).Should().Be((0.5m, 40m, false));
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 119.96m, 0m));
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 60m, 0m));
        (await exchange.GetOpenOrdersAsync("XRPUSDT")).Value.Should().BeEmpty();
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_SellBelowLastTrade_UpdateReportsTheQuoteExecutedAtTheFillPrice()
    {
        var exchange = Create();
        exchange.PublishTrade(Trade(0.5m));

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "s", OrderSide.Sell, 0.49m, 40m));

        placed.Value.QuoteQuantity.Should().Be(20m, "40 at the trade's 0.5, where 40 × the 0.49 limit would say 19.6");
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_BuyAboveLastTrade_TakerFillPublishedOnTheUpdateStream()
    {
        var (exchange, updates, subscription) = Listening();
        using var listening = subscription;

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "b", OrderSide.Buy, 0.51m, 40m));

        updates.Should().ContainSingle().Which.Should().Be(placed.Value with { Source = OrderUpdateSource.Stream }, "the stream's report is the answer's order");
        placed.Value.Source.Should().Be(OrderUpdateSource.Answer);
        placed.Value.Status.Should().Be(OrderStatus.Filled);
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 80m, 0m), "paid 40 × 0.5, not the 0.51 limit, and nothing stays locked");
    }

    [Fact]
    public async Task OrderUpdates_EachPath_SaysHowItWasLearned()
    {
        var (exchange, updates, subscription) = Listening();
        using var listening = subscription;

        var resting = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "b", OrderSide.Buy, 0.49m, 40m));
        var other = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "c", OrderSide.Buy, 0.48m, 40m));
        var open = await exchange.GetOpenOrdersAsync("XRPUSDT");
        exchange.PublishTrade(Trade(0.485m, id: 2));
        var queried = await exchange.GetOrderAsync("XRPUSDT", "b");
        var canceled = await exchange.CancelOrderAsync("XRPUSDT", "c");

        (resting.Value.Source, other.Value.Source, canceled.Value.Source).Should().Be((OrderUpdateSource.Answer, OrderUpdateSource.Answer, OrderUpdateSource.Answer));
        open.Value.Should().OnlyContain(o => o.Source == OrderUpdateSource.Query).And.HaveCount(2);
        queried.Value.Source.Should().Be(OrderUpdateSource.Query);
        updates.Select(u => (u.ClientOrderId, u.Status, u.Source)).Should().Equal(("b", OrderStatus.Filled, OrderUpdateSource.Stream), ("c", OrderStatus.Canceled, OrderUpdateSource.Stream));
    }

    [Theory]
    [InlineData(OrderSide.Buy, "0.5")]
    [InlineData(OrderSide.Sell, "0.5")]
    [InlineData(OrderSide.Buy, "0.4999")]
    [InlineData(OrderSide.Sell, "0.5001")]
    public async Task PlaceLimitOrderAsync_NotCrossingLastTrade_Rests(OrderSide side, string price)
    {
        var exchange = Create();
        exchange.PublishTrade(Trade(0.5m));

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "o", side, decimal.Parse(price, CultureInfo.InvariantCulture), 40m));

        placed.Value.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_NoTradeYet_Rests()
    {
        var exchange = Create();

        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "s", OrderSide.Sell, 0.25m, 40m));

        placed.Value.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_PartialFills_TakesUpToTheTradeQuantityAndRestsTheRest()
    {
        var exchange = Create(partial: true);
        exchange.PublishTrade(Trade(0.5m, qty: 35m));

        var first = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "s1", OrderSide.Sell, 0.49m, 25m));
        var second = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "s2", OrderSide.Sell, 0.49m, 25m));

        first.Value.Status.Should().Be(OrderStatus.Filled);
        (second.Value.Status, second.Value.ExecutedQuantity).Should().Be((OrderStatus.PartiallyFilled, 10m), "the trade had 35: 25 went to the first order");
        (await exchange.GetOpenOrdersAsync("XRPUSDT")).Value.Should().ContainSingle().Which.ClientOrderId.Should().Be("s2");
    }

    [Fact]
    public async Task PublishTrade_CrossesRestingOrder_MakerFillAtItsOwnPriceWithTheMakerRate()
    {
        var exchange = Create(maker: 0.001m, taker: 0.002m);
        exchange.PublishTrade(Trade(0.5m));
        var placed = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "s", OrderSide.Sell, 0.51m, 40m));

        exchange.PublishTrade(Trade(0.52m, id: 2));

        var fill = (await exchange.GetOrderFillsAsync("XRPUSDT", placed.Value.OrderId)).Value.Should().ContainSingle().Subject;
        (fill.Price, fill.Quantity, fill.IsMaker, fill.Commission).Should().Be((0.51m, 40m, true, 0.0204m));
    }

    [Fact]
    public void Validate_TakerFeeRateNegative_ThrowsNamingIt()
    {
        var act = () => new InMemoryExchange(new InMemoryExchangeOptions { TakerFeeRate = -0.1m });

        act.Should().Throw<ArgumentException>().WithMessage("*TakerFeeRate*-0.1*");
    }

    [Fact]
    public void FeeRate_Set_SetsMakerAndTakerRates()
    {
        var options = new InMemoryExchangeOptions { FeeRate = 0.00075m };

        (options.MakerFeeRate, options.TakerFeeRate).Should().Be((0.00075m, 0.00075m));
    }

    [Fact]
    public async Task PublishTrade_MarketSellWithPartialFills_TakesOnlyWhatTheRestingOrdersLeftOfTheTrade()
    {
        var exchange = Create(partial: true);
        await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "limit", OrderSide.Sell, 0.49m, 60m));
        var market = (await exchange.PlaceMarketOrderAsync(new OrderRequest("XRPUSDT", "exit", OrderSide.Sell, 0m, 40m) { Type = OrderType.Market })).Value;

        exchange.PublishTrade(Trade(0.5m, qty: 70m));

        (await exchange.GetOrderAsync("XRPUSDT", "limit")).Value.Status.Should().Be(OrderStatus.Filled);
        var afterFirst = (await exchange.GetOrderAsync("XRPUSDT", "exit")).Value;
        (afterFirst.Status, afterFirst.ExecutedQuantity).Should().Be((OrderStatus.PartiallyFilled, 10m), "the resting SELL took 60 of the trade's 70");

        exchange.PublishTrade(Trade(0.5m, qty: 100m, id: 2));

        var afterSecond = (await exchange.GetOrderAsync("XRPUSDT", "exit")).Value;
        (afterSecond.Status, afterSecond.ExecutedQuantity, afterSecond.OrderId).Should().Be((OrderStatus.Filled, 40m, market.OrderId));
    }
}
