using NaiveStrategy.Mock;

namespace NaiveStrategy.Mock.Tests;

public sealed class InMemoryExchangeTests
{
    private static readonly DateTimeOffset T0 = TestData.T0;

    private static readonly SymbolFilters Xrp = TestData.Xrp;

    private static InMemoryExchange Create(decimal usdt = 100m, decimal xrp = 0m, bool partial = false, FeeAsset feeAsset = FeeAsset.Received) => new(new InMemoryExchangeOptions
    {
        Symbols = { Xrp },
        Balances = { ["USDT"] = usdt, ["XRP"] = xrp },
        PartialFills = partial,
        FeeAsset = feeAsset,
    });

    private static OrderRequest Buy(string id = "a-b", decimal price = 0.5m, decimal qty = 40m) => new("XRPUSDT", id, OrderSide.Buy, price, qty);

    private static TradeEvent Trade(decimal price, decimal qty = 1000m, long id = 1) => new("XRPUSDT", id, price, qty, T0.AddSeconds(id));

    [Fact]
    public async Task PlaceLimitOrderAsync_Valid_AcceptedWithSequentialIdsAndLocksQuote()
    {
        var exchange = Create();
        var first = await exchange.PlaceLimitOrderAsync(Buy("a-b"));
        var second = await exchange.PlaceLimitOrderAsync(Buy("c-b", qty: 20m));

        first.Value.OrderId.Should().Be(1);
        second.Value.OrderId.Should().Be(2);
        first.Value.Status.Should().Be(OrderStatus.New);
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 70m, 30m));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_TwoSymbols_OrderAndFillIdsNumberedPerSymbol()
    {
        var ada = Xrp with { Symbol = "ADAUSDT", BaseAsset = "ADA" };
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp, ada }, Balances = { ["USDT"] = 100m } });
        var xrp1 = await exchange.PlaceLimitOrderAsync(Buy("x1-b", qty: 20m));
        var ada1 = await exchange.PlaceLimitOrderAsync(new OrderRequest("ADAUSDT", "a1-b", OrderSide.Buy, 0.5m, 20m));
        var xrp2 = await exchange.PlaceLimitOrderAsync(Buy("x2-b", qty: 20m));
        var ada2 = await exchange.PlaceLimitOrderAsync(new OrderRequest("ADAUSDT", "a2-b", OrderSide.Buy, 0.5m, 20m));
        exchange.PublishTrade(new TradeEvent("ADAUSDT", 1, 0.49m, 1000m, T0.AddSeconds(1)));
        exchange.PublishTrade(Trade(0.49m, id: 2));

        (xrp1.Value.OrderId, xrp2.Value.OrderId, ada1.Value.OrderId, ada2.Value.OrderId).Should().Be((1L, 2L, 1L, 2L));
        var xrpFills = (await exchange.GetOrderFillsAsync("XRPUSDT", 2)).Value;
        var adaFills = (await exchange.GetOrderFillsAsync("ADAUSDT", 2)).Value;
        xrpFills.Should().ContainSingle().Which.Should().Match<OrderFill>(f => f.Symbol == "XRPUSDT" && f.OrderId == 2 && f.TradeId == 2);
        adaFills.Should().ContainSingle().Which.Should().Match<OrderFill>(f => f.Symbol == "ADAUSDT" && f.OrderId == 2 && f.TradeId == 2);
    }

    [Fact]
    public async Task GetOrderFillsAsync_ManyOrdersEveryOneKept_FindsEachByIdAndNoOther()
    {
        var exchange = Create(usdt: 10_000m);
        for (var i = 1; i <= 50; i++)
        {
            (await exchange.PlaceLimitOrderAsync(Buy($"o{i}-b", price: i % 2 == 0 ? 0.5m : 0.3m))).Value.OrderId.Should().Be(i);
        }

        exchange.PublishTrade(Trade(0.4m));

        for (var id = 1L; id <= 50; id++)
        {
            var fills = (await exchange.GetOrderFillsAsync("XRPUSDT", id)).Value;
            fills.Select(f => f.OrderId).Should().Equal(id % 2 == 0 ? [id] : Array.Empty<long>());
        }

        (await exchange.GetOrderFillsAsync("XRPUSDT", 0)).Error!.Code.Should().Be(-2013);
        (await exchange.GetOrderFillsAsync("XRPUSDT", 51)).Error!.Code.Should().Be(-2013);
    }

    [Theory]
    [InlineData("0.50001", "40", "Filter failure: PRICE_FILTER")]
    [InlineData("0.5", "40.5", "Filter failure: LOT_SIZE")]
    [InlineData("0.5", "10", "Filter failure: MIN_NOTIONAL")]
    public async Task PlaceLimitOrderAsync_BreaksFilter_Rejected1013WithBinanceMessage(string price, string qty, string message)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var result = await Create().PlaceLimitOrderAsync(Buy(price: decimal.Parse(price, inv), qty: decimal.Parse(qty, inv)));
        result.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, message));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_CannotFund_Rejected2010()
    {
        var result = await Create(usdt: 10m).PlaceLimitOrderAsync(Buy());
        result.Error.Should().Be(new ExchangeError(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action."));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_DuplicateOpenClientOrderId_Rejected()
    {
        var exchange = Create();
        await exchange.PlaceLimitOrderAsync(Buy());
        (await exchange.PlaceLimitOrderAsync(Buy())).Error!.Message.Should().Be("Duplicate order sent.");
        exchange.Orders.Should().ContainSingle();
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_UnknownSymbol_Rejected1121()
    {
        (await Create().PlaceLimitOrderAsync(Buy() with { Symbol = "DOGEUSDT" })).Error!.Code.Should().Be(-1121);
    }

    [Fact]
    public async Task PublishTrade_BuyOnlyFillsStrictlyBelow()
    {
        var exchange = Create();
        await exchange.PlaceLimitOrderAsync(Buy());
        var updates = new List<OrderUpdate>();
        using var _ = exchange.OrderUpdates.Subscribe(updates.Add);

        exchange.PublishTrade(Trade(0.5m));
        updates.Should().BeEmpty();
        exchange.PublishTrade(Trade(0.4999m, id: 2));

        var fill = updates.Should().ContainSingle().Subject;
        fill.Status.Should().Be(OrderStatus.Filled);
        fill.ExecutedQuantity.Should().Be(40m);
        fill.Commission.Should().Be(0.04m);
        fill.CommissionAsset.Should().Be("XRP");
        fill.Time.Should().Be(T0.AddSeconds(2));
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 39.96m, 0m));
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 80m, 0m));
    }

    [Fact]
    public async Task PublishTrade_SellOnlyFillsStrictlyAboveAndPaysFeeInQuote()
    {
        var exchange = Create(usdt: 0m, xrp: 40m);
        await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "a-s", OrderSide.Sell, 0.5m, 40m));
        exchange.PublishTrade(Trade(0.5m));
        exchange.Orders.Single().Status.Should().Be(OrderStatus.New);
        exchange.PublishTrade(Trade(0.5001m, id: 2));
        exchange.Orders.Single().Status.Should().Be(OrderStatus.Filled);
        exchange.GetBalance("USDT").Free.Should().Be(19.98m);
        exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 0m, 0m));
    }

    [Fact]
    public async Task PublishTrade_QuoteFeeMode_BuyKeepsWholeQuantity()
    {
        var exchange = Create(feeAsset: FeeAsset.Quote);
        await exchange.PlaceLimitOrderAsync(Buy());
        exchange.PublishTrade(Trade(0.4m));
        exchange.GetBalance("XRP").Free.Should().Be(40m);
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 79.98m, 0m));
    }

    [Fact]
    public async Task PublishTrade_PartialFills_CappedByTradeQuantityBestPriceFirst()
    {
        var exchange = Create(partial: true);
        await exchange.PlaceLimitOrderAsync(Buy("low-b", price: 0.5m, qty: 40m));
        await exchange.PlaceLimitOrderAsync(Buy("high-b", price: 0.6m, qty: 20m));

        exchange.PublishTrade(Trade(0.45m, qty: 30m));

        var orders = exchange.Orders.ToDictionary(o => o.ClientOrderId);
        orders["high-b"].Status.Should().Be(OrderStatus.Filled);
        orders["low-b"].Status.Should().Be(OrderStatus.PartiallyFilled);
        orders["low-b"].ExecutedQuantity.Should().Be(10m);
    }

    [Fact]
    public async Task CancelOrderAsync_PartiallyFilled_UnlocksRemainder()
    {
        var exchange = Create(partial: true);
        await exchange.PlaceLimitOrderAsync(Buy());
        exchange.PublishTrade(Trade(0.4m, qty: 10m));

        var canceled = await exchange.CancelOrderAsync("XRPUSDT", "a-b");

        canceled.Value.Status.Should().Be(OrderStatus.Canceled);
        canceled.Value.ExecutedQuantity.Should().Be(10m);
        exchange.GetBalance("USDT").Should().Be(new Balance("USDT", 95m, 0m));
        (await exchange.CancelOrderAsync("XRPUSDT", "a-b")).Error!.Code.Should().Be(-2011);
    }

    [Fact]
    public async Task GetOrderAsync_Unknown_NotFound2013()
    {
        var result = await Create().GetOrderAsync("XRPUSDT", "nope");
        result.Error.Should().Be(new ExchangeError(ExchangeErrorKind.NotFound, -2013, "Order does not exist."));
    }

    [Fact]
    public async Task InjectPlacementFault_AcceptOrder_OrderExistsButCallerGetsError()
    {
        var exchange = Create();
        exchange.InjectPlacementFault(new ExchangeError(ExchangeErrorKind.Unknown, -1007, "Timeout"), acceptOrder: true);
        (await exchange.PlaceLimitOrderAsync(Buy())).Error!.Code.Should().Be(-1007);
        (await exchange.GetOrderAsync("XRPUSDT", "a-b")).Value.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task Orders_SameInputs_SameIdsAndFills()
    {
        async Task<string> Run()
        {
            var exchange = Create(partial: true);
            await exchange.PlaceLimitOrderAsync(Buy("x-b"));
            await exchange.PlaceLimitOrderAsync(Buy("y-b", price: 0.45m, qty: 30m));
            exchange.PublishTrade(Trade(0.44m, qty: 50m));
            return string.Join(';', exchange.Orders);
        }

        (await Run()).Should().Be(await Run());
    }

    [Fact]
    public void PublishTrade_NoOrders_AllocatesNothing()
    {
        var exchange = Create();
        using var _ = exchange.MarketTrades("XRPUSDT").Subscribe(_ => { });
        var trade = Trade(0.5m);
        exchange.PublishTrade(trade);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            exchange.PublishTrade(trade);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public async Task FinishedOrdersKept_FilledAndCanceledBeyondBound_OldestForgottenOpenKept()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = 100m }, FinishedOrdersKept = 2 });
        foreach (var id in new[] { "a-b", "b-b", "c-b" })
        {
            await exchange.PlaceLimitOrderAsync(Buy(id, qty: 20m));
        }

        await exchange.PlaceLimitOrderAsync(Buy("d-b", price: 0.3m, qty: 40m));
        exchange.PublishTrade(Trade(0.4m)); // fills a, b, c: a is the third finished order, one beyond the bound
        await exchange.CancelOrderAsync("XRPUSDT", "d-b"); // d finishes too: b goes

        exchange.Orders.Select(o => o.ClientOrderId).Should().Equal("c-b", "d-b");
        (await exchange.GetOrderAsync("XRPUSDT", "a-b")).Error!.Code.Should().Be(-2013);
        (await exchange.GetOrderFillsAsync("XRPUSDT", 1)).Error!.Code.Should().Be(-2013);
        (await exchange.GetOrderAsync("XRPUSDT", "c-b")).Value.Status.Should().Be(OrderStatus.Filled);
        (await exchange.PlaceLimitOrderAsync(Buy("a-b", qty: 20m))).Value.OrderId.Should().Be(5, "a forgotten client order id may be used again");
    }

    [Fact]
    public async Task FinishedOrdersKept_ManyCycles_KeepsTheLastFinishedInPlacementOrder()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = 100_000m }, FinishedOrdersKept = 10 });
        for (var i = 1; i <= 3_000; i++)
        {
            await exchange.PlaceLimitOrderAsync(Buy($"o{i}-b", qty: 20m));
            exchange.PublishTrade(Trade(0.4m, id: i));
        }

        await exchange.PlaceLimitOrderAsync(Buy("open-b", price: 0.3m, qty: 40m));

        exchange.Orders.Select(o => o.OrderId).Should().Equal(Enumerable.Range(2_991, 11).Select(i => (long)i));
        exchange.Orders[^1].Status.Should().Be(OrderStatus.New);
        (await exchange.GetOrderAsync("XRPUSDT", "o2990-b")).Error!.Code.Should().Be(-2013);
        (await exchange.GetOrderFillsAsync("XRPUSDT", 2_991)).Value.Should().ContainSingle();
    }

    [Fact]
    public void Constructor_NegativeFinishedOrdersKept_ThrowsNamingOption()
    {
        var act = () => new InMemoryExchange(new InMemoryExchangeOptions { FinishedOrdersKept = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*FinishedOrdersKept*-1*");
    }

    [Fact]
    public void Constructor_NegativeFee_ThrowsNamingOption()
    {
        var act = () => new InMemoryExchange(new InMemoryExchangeOptions { FeeRate = -0.1m });
        act.Should().Throw<ArgumentException>().WithMessage("*FeeRate*-0.1*");
    }
}
