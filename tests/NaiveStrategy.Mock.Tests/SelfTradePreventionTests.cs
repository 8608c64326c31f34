namespace NaiveStrategy.Mock.Tests;

// Issue #24: a new order that would trade with one of the account's own resting orders is handled by its self-trade
// prevention mode, as Binance's STP FAQ describes (scenarios A–D and G).
public sealed class SelfTradePreventionTests
{
    private static readonly DateTimeOffset T0 = TestData.T0;

    private static InMemoryExchange Create(bool partial = false, Action<InMemoryExchangeOptions>? configure = null)
    {
        var options = new InMemoryExchangeOptions
        {
            Symbols = { TestData.Xrp },
            Balances = { ["USDT"] = 100m, ["XRP"] = 100m },
            PartialFills = partial,
        };
        configure?.Invoke(options);
        return new InMemoryExchange(options);
    }

    private static OrderRequest Buy(string id, decimal price, decimal quantity) => new("XRPUSDT", id, OrderSide.Buy, price, quantity);

    private static OrderRequest Sell(string id, decimal price, decimal quantity) => new("XRPUSDT", id, OrderSide.Sell, price, quantity);

    [Fact]
    public async Task PlaceLimitOrderAsync_NoneCrossingOwnRestingOrder_BothTradeAtTheMakersPrice()
    {
        var exchange = Create();
        var maker = (await exchange.PlaceLimitOrderAsync(Buy("m", 0.5m, 40m))).Value;

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.49m, 40m), SelfTradePreventionMode.None)).Value;

        taker.Status.Should().Be(OrderStatus.Filled);
        (await exchange.GetOrderAsync("XRPUSDT", "m")).Value.Status.Should().Be(OrderStatus.Filled);
        var takerFill = (await exchange.GetOrderFillsAsync("XRPUSDT", taker.OrderId)).Value.Should().ContainSingle().Subject;
        var makerFill = (await exchange.GetOrderFillsAsync("XRPUSDT", maker.OrderId)).Value.Should().ContainSingle().Subject;
        (takerFill.Price, takerFill.IsMaker, makerFill.Price, makerFill.IsMaker).Should().Be((0.5m, false, 0.5m, true));
        takerFill.TradeId.Should().Be(makerFill.TradeId, "one trade, two sides");
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 99.98m, 0m), "paid 20, received 20 less the 0.1 % fee");
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 99.96m, 0m), "sold 40, bought 40 less the 0.1 % fee");
        exchange.GetPreventedMatches("XRPUSDT", taker.OrderId).Value.Should().BeEmpty();
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_ExpireTaker_TakerExpiresInMatchAndMakerStays()
    {
        var exchange = Create();
        var maker = (await exchange.PlaceLimitOrderAsync(Buy("m", 0.5m, 40m))).Value;

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.5m, 100m), SelfTradePreventionMode.ExpireTaker)).Value;

        (taker.Status, taker.ExecutedQuantity).Should().Be((OrderStatus.Expired, 0m));
        (await exchange.GetOrderAsync("XRPUSDT", "m")).Value.Status.Should().Be(OrderStatus.New);
        exchange.GetPreventedMatches("XRPUSDT", taker.OrderId).Value.Should().ContainSingle().Which.Should().Be(
            new PreventedMatch("XRPUSDT", 0, taker.OrderId, maker.OrderId, SelfTradePreventionMode.ExpireTaker, 0.5m, 100m, null, DateTimeOffset.UnixEpoch));
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 100m, 0m), "the expired SELL's lock returns");
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 80m, 20m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_ExpireMaker_EveryMetMakerExpiresBestPriceFirstAndTakerRests()
    {
        var exchange = Create();
        var updates = new List<OrderUpdate>();
        using var subscription = exchange.OrderUpdates.Subscribe(updates.Add);
        var m1 = (await exchange.PlaceLimitOrderAsync(Buy("m1", 0.5m, 50m))).Value;
        var m2 = (await exchange.PlaceLimitOrderAsync(Buy("m2", 0.52m, 40m))).Value;
        var m3 = (await exchange.PlaceLimitOrderAsync(Buy("m3", 0.51m, 30m))).Value;

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.5m, 60m), SelfTradePreventionMode.ExpireMaker)).Value;

        taker.Status.Should().Be(OrderStatus.New);
        updates.Select(u => (u.ClientOrderId, u.Status)).Should().Equal(("m2", OrderStatus.Expired), ("m3", OrderStatus.Expired), ("m1", OrderStatus.Expired));
        var matches = exchange.GetPreventedMatches("XRPUSDT", taker.OrderId).Value;
        matches.Select(m => (m.PreventedMatchId, m.MakerOrderId, m.Price, m.TakerPreventedQuantity, m.MakerPreventedQuantity))
            .Should().Equal((0L, m2.OrderId, 0.52m, (decimal?)null, (decimal?)40m), (1L, m3.OrderId, 0.51m, null, 30m), (2L, m1.OrderId, 0.5m, null, 50m));
        (await exchange.GetOpenOrdersAsync("XRPUSDT")).Value.Should().ContainSingle().Which.ClientOrderId.Should().Be("t");
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 100m, 0m));
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 40m, 60m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_ExpireBoth_BothExpireInMatch()
    {
        var exchange = Create();
        var maker = (await exchange.PlaceLimitOrderAsync(Buy("m", 0.5m, 40m))).Value;

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.5m, 100m), SelfTradePreventionMode.ExpireBoth)).Value;

        taker.Status.Should().Be(OrderStatus.Expired);
        (await exchange.GetOrderAsync("XRPUSDT", "m")).Value.Status.Should().Be(OrderStatus.Expired);
        var match = exchange.GetPreventedMatches("XRPUSDT", maker.OrderId).Value.Should().ContainSingle().Subject;
        (match.TakerPreventedQuantity, match.MakerPreventedQuantity).Should().Be(((decimal?)100m, (decimal?)40m));
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 100m, 0m));
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 100m, 0m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_DecrementSmallerTaker_TakerExpiresMakerKeepsTheRestAndFillsItLater()
    {
        var exchange = Create();
        var maker = (await exchange.PlaceLimitOrderAsync(Buy("m", 0.5m, 60m))).Value;

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.5m, 20m), SelfTradePreventionMode.Decrement)).Value;

        taker.Status.Should().Be(OrderStatus.Expired);
        var match = exchange.GetPreventedMatches("XRPUSDT", maker.OrderId).Value.Should().ContainSingle().Subject;
        (match.TakerPreventedQuantity, match.MakerPreventedQuantity).Should().Be(((decimal?)20m, (decimal?)20m));
        (await exchange.GetOrderAsync("XRPUSDT", "m")).Value.Status.Should().Be(OrderStatus.New);
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 80m, 20m), "the 20 prevented no longer lock their 10 USDT");

        exchange.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.4m, 1000m, T0));

        var filled = (await exchange.GetOrderAsync("XRPUSDT", "m")).Value;
        (filled.Status, filled.ExecutedQuantity).Should().Be((OrderStatus.Filled, 40m), "60 less the 20 prevented");
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 80m, 0m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_DecrementSmallerMaker_MakerExpiresTakerRestsWithTheRest()
    {
        var exchange = Create();
        await exchange.PlaceLimitOrderAsync(Buy("m", 0.5m, 20m));

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.5m, 60m), SelfTradePreventionMode.Decrement)).Value;

        taker.Status.Should().Be(OrderStatus.New);
        (await exchange.GetOrderAsync("XRPUSDT", "m")).Value.Status.Should().Be(OrderStatus.Expired);
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 60m, 40m), "60 placed, 20 prevented");
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_MarketPriceBetterThanOwnOrder_TakesTheMarketFirstThenPrevents()
    {
        var exchange = Create(partial: true);
        await exchange.PlaceLimitOrderAsync(Sell("m", 0.5m, 40m));
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 10m, T0));

        var taker = (await exchange.PlaceLimitOrderAsync(Buy("t", 0.5m, 50m), SelfTradePreventionMode.ExpireTaker)).Value;

        (taker.Status, taker.ExecutedQuantity).Should().Be((OrderStatus.Expired, 10m), "10 from the market at 0.49, the other 40 would meet our SELL at 0.5");
        (await exchange.GetOrderFillsAsync("XRPUSDT", taker.OrderId)).Value.Should().ContainSingle().Which.Price.Should().Be(0.49m);
        exchange.GetPreventedMatches("XRPUSDT", taker.OrderId).Value.Should().ContainSingle().Which.TakerPreventedQuantity.Should().Be(40m);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_ModeTheSymbolDoesNotAllow_Rejected1013()
    {
        var exchange = Create(configure: o =>
        {
            o.AllowedSelfTradePreventionModes.Clear();
            o.AllowedSelfTradePreventionModes.Add(SelfTradePreventionMode.None);
        });

        var placed = await exchange.PlaceLimitOrderAsync(Buy("b", 0.5m, 40m), SelfTradePreventionMode.ExpireMaker);

        placed.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "This symbol does not allow the specified self-trade prevention mode."));
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 100m, 0m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_NoMode_UsesTheDefault()
    {
        var exchange = Create(configure: o => o.DefaultSelfTradePreventionMode = SelfTradePreventionMode.ExpireTaker);
        await exchange.PlaceLimitOrderAsync(Buy("m", 0.5m, 40m));

        var taker = (await exchange.PlaceLimitOrderAsync(Sell("t", 0.5m, 40m))).Value;

        taker.Status.Should().Be(OrderStatus.Expired);
    }

    [Fact]
    public void Validate_DefaultModeNotAllowed_ThrowsNamingIt()
    {
        var options = new InMemoryExchangeOptions { DefaultSelfTradePreventionMode = SelfTradePreventionMode.Decrement };
        options.AllowedSelfTradePreventionModes.Remove(SelfTradePreventionMode.Decrement);

        var act = options.Validate;

        act.Should().Throw<ArgumentException>().WithMessage("*DefaultSelfTradePreventionMode Decrement*");
    }
}
