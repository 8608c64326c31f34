using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Tests;

public sealed class BinanceExchangeTests : IAsyncLifetime
{
    private const string Key = "test-api-key";
    private const string Secret = "test-secret-key-0123456789";
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private BinanceSandboxServer _server = null!;
    private BinanceExchange _exchange = null!;
    private readonly LogSignals _signals = new(); // 109: the user data stream is subscribed

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { Port = 0, PingInterval = TimeSpan.FromSeconds(5) };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        _server = new BinanceSandboxServer(options);
        await _server.StartAsync();
        _exchange = Create(Key, Secret);
    }

    public async Task DisposeAsync()
    {
        await _exchange.DisposeAsync();
        await _server.DisposeAsync();
    }

    private BinanceExchange Create(string key, string secret, int endedFeesKept = 1_024) => new(new HttpClient(), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = key,
        SecretKey = secret,
        RestBaseUrl = new Uri(_server.RestBaseUrl),
        WebSocketApiUrl = new Uri(_server.WebSocketApiUrl),
        StreamBaseUrl = new Uri(_server.StreamBaseUrl),
        RequestTimeout = TimeSpan.FromSeconds(5),
    }), loggerFactory: _signals)
    { EndedFeesKept = endedFeesKept };

    private static OrderRequest Buy(string id, decimal price = 0.5m, decimal qty = 40m) => new("XRPUSDT", id, OrderSide.Buy, price, qty);

    private static Task<T> Eventually<T>(Func<Task<T?>> probe)
        where T : class => Wait.ForAsync(probe, "the condition", TimeSpan.FromSeconds(5), every: TimeSpan.FromMilliseconds(50));

    [Fact]
    public void Sign_OfficialVector_Matches()
    {
        BinanceRequestSigner.Sign(
                "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
                "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559")
            .Should().Be("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    }

    [Fact]
    public void BinanceExchangeInfo_Fixture_ReadsOldMinNotional()
    {
        var all = BinanceExchangeInfo.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exchangeInfo-2021-10-12.json"));
        var xrp = all["XRPUSDT"];
        (xrp.TickSize, xrp.StepSize, xrp.MinNotional, xrp.NotionalFilterName).Should().Be((0.0001m, 1m, 10m, "MIN_NOTIONAL"));
        all.Should().HaveCount(1695);
    }

    [Fact]
    public void SymbolFilterPresets_XrpUsdt_IsWhatTheFixtureLists()
    {
        var all = BinanceExchangeInfo.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exchangeInfo-2021-10-12.json"));

        all["XRPUSDT"].Should().Be(SymbolFilterPresets.XrpUsdt);
    }

    [Fact]
    public void BinanceExchangeInfo_CurrentNotionalAndMalformed()
    {
        const string json = """{"symbols":[{"symbol":"BTCUSDT","baseAsset":"BTC","quoteAsset":"USDT","filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01","maxPrice":"1000000","tickSize":"0.01"},{"filterType":"LOT_SIZE","minQty":"0.00001","maxQty":"9000","stepSize":"0.00001"},{"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000"}]}]}""";
        var btc = BinanceExchangeInfo.Parse(json)["BTCUSDT"];
        (btc.MinNotional, btc.MaxNotional, btc.NotionalFilterName).Should().Be((5m, 9_000_000m, "NOTIONAL"));
        var act = () => BinanceExchangeInfo.Parse("""{"symbols":[{"symbol":"X","baseAsset":"A","quoteAsset":"B","filters":[{"filterType":"PRICE_FILTER","tickSize":"a tenth"}]}]}""");
        act.Should().Throw<FormatException>().WithMessage("*X: 'tickSize' is not a number*");
    }

    [Fact]
    public void Options_ToString_NeverShowsSecret()
    {
        new BinanceExchangeOptions { ApiKey = "abcdefgh", SecretKey = "super-secret-value" }.ToString().Should().NotContain("super-secret-value").And.Contain("***");
    }

    [Fact]
    public async Task PlaceQueryCancel_Lifecycle_AgainstSandbox()
    {
        var placed = await _exchange.PlaceLimitOrderAsync(Buy("t1-b"));
        placed.Value.Status.Should().Be(OrderStatus.New);
        (await _exchange.GetOrderAsync("XRPUSDT", "t1-b")).Value.OrderId.Should().Be(placed.Value.OrderId);
        (await _exchange.GetOpenOrdersAsync("XRPUSDT")).Value.Should().ContainSingle();
        (await _exchange.GetBalancesAsync()).Value.Should().Contain(b => b.Asset == "USDT" && b.Locked == 20m);
        (await _exchange.CancelOrderAsync("XRPUSDT", "t1-b")).Value.Status.Should().Be(OrderStatus.Canceled);
        (await _exchange.GetOrderAsync("XRPUSDT", "nope")).Error!.Kind.Should().Be(ExchangeErrorKind.NotFound);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_LimitsSetVeryHigh_NeverThrottled()
    {
        await using var unlimited = new BinanceExchange(new HttpClient(), Options.Create(new BinanceExchangeOptions
        {
            ApiKey = Key,
            SecretKey = Secret,
            RestBaseUrl = new Uri(_server.RestBaseUrl),
            WebSocketApiUrl = new Uri(_server.WebSocketApiUrl),
            StreamBaseUrl = new Uri(_server.StreamBaseUrl),
            RequestWeightPerMinute = 300_000_000,
            OrdersPer10Seconds = 300_000_000,
        }));
        (await unlimited.PlaceLimitOrderAsync(Buy("m1-b"))).IsSuccess.Should().BeTrue();

        // The second order and query see the counts of the first: 90 % of a limit above int.MaxValue / 9 once overflowed into a wait of the window's rest.
        var second = unlimited.PlaceLimitOrderAsync(Buy("m2-b")).AsTask();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).IsSuccess.Should().BeTrue();
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_Headers_TrackWeightAndOrderCount()
    {
        (await _exchange.PlaceLimitOrderAsync(Buy("w1-b"))).IsSuccess.Should().BeTrue();
        (await _exchange.PlaceLimitOrderAsync(Buy("w2-b"))).IsSuccess.Should().BeTrue();
        _exchange.UsedWeight.Should().BePositive();
        _exchange.OrderCount10Seconds.Should().BeInRange(2, 3);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_FilterFailure_RejectedWithBinanceCode()
    {
        var result = await _exchange.PlaceLimitOrderAsync(Buy("t2-b", qty: 1m));
        result.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: MIN_NOTIONAL"));
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_BadSecret_Rejected()
    {
        await using var wrong = Create(Key, "wrong-secret");
        var result = await wrong.PlaceLimitOrderAsync(Buy("t3-b"));
        result.Error!.Code.Should().Be(-1022);
        result.Error.Kind.Should().Be(ExchangeErrorKind.Rejected);
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_TimestampRejectedOnce_ResyncsAndSucceeds()
    {
        _server.Faults.RejectTimestamps(1);
        (await _exchange.PlaceLimitOrderAsync(Buy("t4-b"))).IsSuccess.Should().BeTrue();
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_ServerErrorAfterAccepting_ReportsUnknownAndSendsOnce()
    {
        _server.Faults.FailOrdersAfterAccepting(1);
        var result = await _exchange.PlaceLimitOrderAsync(Buy("t5-b"));
        result.Error!.Kind.Should().Be(ExchangeErrorKind.Unknown, "the engine, not the adapter, resolves a maybe-placed order");
        _server.Exchange.Orders.Where(o => o.ClientOrderId == "t5-b").Should().ContainSingle();
        var again = await _exchange.PlaceLimitOrderAsync(Buy("t5-b"));
        again.Error!.Kind.Should().Be(ExchangeErrorKind.Duplicate, "the first send got through");
        _server.Exchange.Orders.Where(o => o.ClientOrderId == "t5-b").Should().ContainSingle();
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_RateLimited_HonoursRetryAfterWithoutSending()
    {
        _server.Faults.RetryAfter = TimeSpan.FromSeconds(30);
        _server.Faults.RateLimitRequests(1);
        var first = await _exchange.PlaceLimitOrderAsync(Buy("t6-b"));
        var second = await _exchange.PlaceLimitOrderAsync(Buy("t7-b"));

        first.Error!.Kind.Should().Be(ExchangeErrorKind.Transient);
        second.Error!.Message.Should().Contain("no request before");
        _server.Exchange.Orders.Should().BeEmpty();
    }

    [Fact]
    public async Task MarketTrades_TradeStream_DeliversParsedTrades() =>
        await AssertArrives(_exchange, new TradeEvent("XRPUSDT", 77, 0.5123m, 12m, T0, true));

    [Fact]
    public async Task BinanceMarketData_NoKeys_DeliversTradesFromTheStream()
    {
        await using var market = new BinanceMarketData(Options.Create(new BinanceMarketDataOptions { StreamBaseUrl = new Uri(_server.StreamBaseUrl) }));
        await AssertArrives(market, new TradeEvent("XRPUSDT", 78, 0.5124m, 13m, T0, false));
    }

    private async Task AssertArrives(IMarketData source, TradeEvent trade)
    {
        var received = new List<TradeEvent>();
        using var subscription = source.MarketTrades("XRPUSDT").Subscribe(t => { lock (received) { received.Add(t); } });
        await Eventually(async () =>
        {
            _server.PublishTrade(trade);
            lock (received)
            {
                return received.Count > 0 ? received[0] as object : null;
            }
        });
        received[0].Should().Be(trade);
    }

    [Fact]
    public void AddBinanceMarketData_ThenMockExchange_PaperTradingWithoutKeys()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy()
            .AddBinanceMarketData(o => o.StreamBaseUrl = new Uri(_server.StreamBaseUrl))
            .AddMockExchange(o => o.Symbols.Add(SymbolFilterPresets.XrpUsdt));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IMarketData>().Should().BeOfType<MatchedMarketData>();
        provider.GetRequiredService<IExchange>().Should().BeOfType<InMemoryExchange>();
        provider.GetService<BinanceExchange>().Should().BeNull("paper trading needs no keys and makes no signed call");
    }

    [Fact]
    public async Task OrderUpdates_FillByReplayedTrade_ExecutionReportWithCommission()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109); // subscribed over the WebSocket API
        (await _exchange.PlaceLimitOrderAsync(Buy("t8-b"))).IsSuccess.Should().BeTrue();
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, T0));

        var filled = await Eventually(() =>
        {
            lock (updates)
            {
                return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "t8-b" && u.Status == OrderStatus.Filled));
            }
        });
        filled.ExecutedQuantity.Should().Be(40m);
        filled.Commission.Should().Be(0.04m);
        filled.CommissionAsset.Should().Be("XRP");
    }

    [Fact]
    public async Task PlaceMarketOrderAsync_AgainstSandbox_FillsAtNextTradeWithQuoteQuantityAndCommission()
    {
        _server.Deposit("XRP", 100m);
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109); // subscribed over the WebSocket API
        var placed = await _exchange.PlaceMarketOrderAsync(new OrderRequest("XRPUSDT", "exit-s", OrderSide.Sell, 0m, 50m) { Type = OrderType.Market });
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.6m, 1000m, T0));

        var filled = await Eventually(() =>
        {
            lock (updates)
            {
                return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "exit-s" && u.Status == OrderStatus.Filled));
            }
        });
        placed.Error.Should().BeNull();
        placed.Value.Status.Should().Be(OrderStatus.New, "the sandbox fills a MARKET order at the next market trade");
        filled.ExecutedQuantity.Should().Be(50m);
        filled.QuoteQuantity.Should().Be(30m);
        filled.Commission.Should().Be(0.03m);
        filled.CommissionAsset.Should().Be("USDT");
        _server.Exchange.GetBalance("USDT").Free.Should().Be(1_029.97m);
    }

    [Fact]
    public async Task PlaceMarketOrderAsync_BelowMinNotional_RejectedWithBinanceCode()
    {
        _server.Deposit("XRP", 100m);
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.5m, 1m, T0));

        var placed = await _exchange.PlaceMarketOrderAsync(new OrderRequest("XRPUSDT", "exit-small", OrderSide.Sell, 0m, 15m) { Type = OrderType.Market });

        placed.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: MIN_NOTIONAL"));
    }

    [Fact]
    public async Task OrderUpdates_ManyOrdersEnded_FeesOfOnlyTheLastEndedKept()
    {
        await using var exchange = Create(Key, Secret, endedFeesKept: 2);
        var filled = new HashSet<string>();
        using var subscription = exchange.OrderUpdates.Subscribe(u => { lock (filled) { if (u.Status == OrderStatus.Filled) { filled.Add(u.ClientOrderId); } } });
        await _signals.WaitAsync(109);
        foreach (var id in new[] { "f1-b", "f2-b", "f3-b", "f4-b" })
        {
            (await exchange.PlaceLimitOrderAsync(Buy(id))).IsSuccess.Should().BeTrue();
        }

        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, T0));
        await Eventually(() => { lock (filled) { return Task.FromResult(filled.Count == 4 ? filled : null); } });

        exchange.TrackedFees.Should().Be(2, "the fees of ended orders beyond the bound are forgotten");
    }

    [Fact]
    public async Task OrderUpdates_DuplicatedReports_DeliveredOnceCommissionCountedOnce()
    {
        _server.Faults.DuplicateExecutionReports = true;
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109);
        (await _exchange.PlaceLimitOrderAsync(Buy("t9-b"))).IsSuccess.Should().BeTrue();
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, T0));
        await Eventually(() => { lock (updates) { return Task.FromResult(updates.Any(u => u.Status == OrderStatus.Filled) ? updates : null); } });
        // An order placed after the fill is reported after the fill's copy, on the same ordered stream: once its update is in, so is the copy.
        (await _exchange.PlaceLimitOrderAsync(Buy("t9-after", price: 0.4m))).IsSuccess.Should().BeTrue();
        await Eventually(() => { lock (updates) { return Task.FromResult(updates.Any(u => u.ClientOrderId == "t9-after") ? updates : null); } });

        // The same event twice (here the sandbox's fault; in a serverShutdown handover both connections') reaches the subscriber once.
        lock (updates)
        {
            updates.Where(u => u.Status == OrderStatus.Filled).Should().ContainSingle().Which.Commission.Should().Be(0.04m);
        }
    }

    [Fact]
    public async Task OrderUpdates_SocketDropped_ReconnectsAndReconcilesMissedFill()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109);
        (await _exchange.PlaceLimitOrderAsync(Buy("t10-b"))).IsSuccess.Should().BeTrue();
        _server.Faults.DropWebSockets(SandboxSocketKinds.All);
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, T0)); // fills while we are away

        var filled = await Eventually(() => { lock (updates) { return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "t10-b" && u.Status == OrderStatus.Filled)); } });
        filled.ExecutedQuantity.Should().Be(40m);
    }

    // A placement that never reached the exchange (here: canceled before it was sent) stays "maybe placed" until a
    // resync finds the exchange has no such order; then it is no longer asked for at every reconnection.
    [Fact]
    public async Task OrderUpdates_OrderTheExchangeNeverGot_NotWatchedAfterTheNextReconnect()
    {
        using var subscription = _exchange.OrderUpdates.Subscribe(_ => { });
        await _signals.WaitAsync(109);
        (await _exchange.GetSymbolFiltersAsync("XRPUSDT")).IsSuccess.Should().BeTrue();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        try
        {
            await _exchange.PlaceLimitOrderAsync(Buy("t12-b"), canceled.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _exchange.WatchedOrders.Should().Be(1);
        _server.Exchange.Orders.Should().NotContain(o => o.ClientOrderId == "t12-b");

        _server.Faults.DropWebSockets(SandboxSocketKinds.All);

        await Eventually(() => Task.FromResult(_exchange.WatchedOrders == 0 ? "" : null));
    }

    // A cancel answered while the user data stream is down ends the order in the call's answer only; the
    // subscriber must still see it: the adapter queries it after the next subscription, as it does a missed fill.
    [Fact]
    public async Task OrderUpdates_CanceledWhileStreamDown_DeliversCanceledAfterReconnect()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        (await _exchange.PlaceLimitOrderAsync(Buy("t11-b"))).IsSuccess.Should().BeTrue();
        await Eventually(() => { lock (updates) { return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "t11-b")); } });

        _server.Faults.DropWebSockets(SandboxSocketKinds.WebSocketApi);
        (await _exchange.CancelOrderAsync("XRPUSDT", "t11-b")).Value.Status.Should().Be(OrderStatus.Canceled);

        var canceled = await Eventually(() => { lock (updates) { return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "t11-b" && u.Status == OrderStatus.Canceled)); } });
        canceled.ExecutedQuantity.Should().Be(0m);
    }

    [Fact]
    public async Task OrderUpdates_EachPath_SaysHowTheUpdateWasLearned()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109); // subscribed over the WebSocket API
        var placed = await _exchange.PlaceLimitOrderAsync(Buy("src1-b"));
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, T0));
        var filled = await Eventually(() => { lock (updates) { return Task.FromResult(updates.LastOrDefault(u => u.ClientOrderId == "src1-b" && u.Status == OrderStatus.Filled)); } });
        var queried = await _exchange.GetOrderAsync("XRPUSDT", "src1-b");
        (await _exchange.PlaceLimitOrderAsync(Buy("src2-b", price: 0.4m))).IsSuccess.Should().BeTrue();
        var open = await _exchange.GetOpenOrdersAsync("XRPUSDT");
        var canceled = await _exchange.CancelOrderAsync("XRPUSDT", "src2-b");

        (placed.Value.Source, filled.Source, queried.Value.Source, open.Value!.Single().Source, canceled.Value.Source)
            .Should().Be((OrderUpdateSource.Answer, OrderUpdateSource.Stream, OrderUpdateSource.Query, OrderUpdateSource.Query, OrderUpdateSource.Answer));
        lock (updates)
        {
            updates.Should().NotContain(u => u.Reordered, "the stream delivered its reports in the order the exchange made them");
        }
    }

    [Fact]
    public async Task OrderUpdates_StreamSwapsReports_TheOvertakenReportSaysReordered()
    {
        // The sandbox holds each odd report until the next one (or 250 ms) and sends it after: two placements in quick
        // succession make NEW(a) arrive after NEW(b), which the exchange made later. A pair slower than 250 ms is not
        // swapped: try again, a few times.
        _server.Faults.ReorderExecutionReports = true;
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109);
        OrderUpdate? reordered = null;
        for (var pair = 1; pair <= 5 && reordered is null; pair++)
        {
            var first = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            (await _exchange.PlaceLimitOrderAsync(Buy($"ro{pair}a-b", price: 0.3m))).IsSuccess.Should().BeTrue();
            SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > first); // the next report's event time is later
            (await _exchange.PlaceLimitOrderAsync(Buy($"ro{pair}b-b", price: 0.3m))).IsSuccess.Should().BeTrue();
            var both = await Eventually(() => { lock (updates) { return Task.FromResult(updates.Count(u => u.ClientOrderId.StartsWith($"ro{pair}", StringComparison.Ordinal)) == 2 ? updates.ToArray() : null); } });
            reordered = both.FirstOrDefault(u => u.Reordered);
            if (reordered is not null)
            {
                reordered.ClientOrderId.Should().Be($"ro{pair}a-b", "the first report was held and sent after the second");
                Array.FindIndex(both, u => u.ClientOrderId == $"ro{pair}b-b").Should().BeLessThan(Array.IndexOf(both, reordered));
            }
        }

        reordered.Should().NotBeNull("a swapped pair is flagged on the report that was overtaken");
        reordered!.Source.Should().Be(OrderUpdateSource.Stream);
    }

    [Theory]
    [InlineData("order5xx")]
    [InlineData("429")]
    [InlineData("418")]
    [InlineData("timestamp")]
    [InlineData("delay")]
    [InlineData("duplicate")]
    [InlineData("reorder")]
    [InlineData("drop")]
    public async Task Engine_EndToEnd_UnderFault_NoLostFillNoDuplicateOrder(string fault)
    {
        var faults = _server.Faults;
        switch (fault)
        {
            case "order5xx": faults.FailOrdersAfterAccepting(2); break;
            case "429": faults.RetryAfter = TimeSpan.FromMilliseconds(300); faults.RateLimitRequests(1); break;
            case "418": faults.RetryAfter = TimeSpan.FromMilliseconds(300); faults.BanRequests(1); break;
            case "timestamp": faults.RejectTimestamps(2); break;
            case "delay": faults.ResponseDelay = TimeSpan.FromMilliseconds(150); break;
            case "duplicate": faults.DuplicateExecutionReports = true; break;
            case "reorder": faults.ReorderExecutionReports = true; break;
        }

        await using var provider = EngineProvider(retryDelay: TimeSpan.FromMilliseconds(200));
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        await engine.StartAsync();
        using var seen = SeenTrades(provider);
        await StreamsUpAsync();
        long id = 0;
        foreach (var price in new[] { 0.50m, 0.49m, 0.48m, 0.47m, 0.52m, 0.53m, 0.54m })
        {
            _server.PublishTrade(new TradeEvent("XRPUSDT", ++id, price, 1000m, T0.AddSeconds(id)));
            if (fault == "drop" && id == 3)
            {
                faults.DropWebSockets(SandboxSocketKinds.All);
            }

            await CaughtUpAsync(engine, seen, id);
        }

        var orders = _server.Exchange.Orders;
        orders.Select(o => o.ClientOrderId).Should().OnlyHaveUniqueItems();
        foreach (var buy in orders.Where(o => o.Side == OrderSide.Buy && o.Status == OrderStatus.Filled))
        {
            var sell = buy.ClientOrderId[..^2] + "-s";
            orders.Should().Contain(o => o.ClientOrderId == sell, "every filled buy was seen and got its sell");
        }

        orders.Should().Contain(o => o.Side == OrderSide.Sell && o.Status == OrderStatus.Filled);
    }

    // BUY 37 @ 0.495 (18.5 / 0.495 = 37.37); the sandbox takes 0.1 % of it in XRP: 36.963 held, SELL 36.
    private static SymbolSettings ThirtySeven(SymbolSettings s) => s with { Chunks = 1, Budget = 18.5m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m, RebuyInterval = 0.05m };

    private NaiveStrategyEngine Engine(BinanceExchange exchange, IStrategyStore store, string run)
    {
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(100) };
        options.AddSymbol("XRPUSDT", ThirtySeven);
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(run), TimeProvider.System, store: store);
    }

    private async Task<OrderUpdate> OrderOnServer(OrderSide side) =>
        await Eventually(() => Task.FromResult(_server.Exchange.Orders.FirstOrDefault(o => o.Side == side)));

    private void AssertSoldWhatWasHeld(OrderUpdate sell)
    {
        sell.Quantity.Should().Be(36m, "BUY 37 less 0.037 XRP of fee leaves 36.963");
        sell.Status.Should().NotBe(OrderStatus.Rejected);
        _server.Exchange.Orders.Select(o => (o.Side, o.Quantity)).Should().Equal((OrderSide.Buy, 37m), (OrderSide.Sell, 36m));
        _server.Exchange.GetBalance("XRP").Should().Be(new Balance("XRP", 0.963m, 36m), "only the fee's remainder is left unsold");
    }

    [Fact]
    public async Task Engine_UserDataStreamDownAtTheFill_SellsWhatIsHeldNotWhatWasBought()
    {
        await using var engine = Engine(_exchange, new InMemoryStrategyStore(), "a");
        await engine.StartAsync();
        await Eventually(async () =>
        {
            _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.50m, 1000m, T0));
            return _server.Exchange.Orders.Count > 0 ? _server.Exchange.Orders[0] : null;
        });
        (await OrderOnServer(OrderSide.Buy)).Quantity.Should().Be(37m);

        _server.Faults.DropWebSockets(SandboxSocketKinds.WebSocketApi);
        _server.PublishTrade(new TradeEvent("XRPUSDT", 2, 0.49m, 1000m, T0.AddSeconds(1))); // fills while the user data stream is down

        AssertSoldWhatWasHeld(await OrderOnServer(OrderSide.Sell));
    }

    [Fact]
    public async Task Engine_RestartLearnsFilledBuyByReconciliation_SellsWhatIsHeld()
    {
        var store = new InMemoryStrategyStore();
        await using (var first = Engine(_exchange, store, "a"))
        {
            await first.StartAsync();
            await Eventually(async () =>
            {
                _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.50m, 1000m, T0));
                    return first.GetState("XRPUSDT")!.Traders.FirstOrDefault(t => t.BuyOrder?.OrderId is not null);
            });
        }

        await _exchange.DisposeAsync(); // the process is gone
        _server.PublishTrade(new TradeEvent("XRPUSDT", 2, 0.49m, 1000m, T0.AddSeconds(1))); // the BUY fills while it is down
        (await OrderOnServer(OrderSide.Buy)).Status.Should().Be(OrderStatus.Filled);

        await using var restarted = Create(Key, Secret);
        await using var second = Engine(restarted, store, "b");
        await second.StartAsync();

        AssertSoldWhatWasHeld(await OrderOnServer(OrderSide.Sell));
    }

    // The optional stale-BUY rule through the real adapter: DELETE /api/v3/order, then a new BUY with its own id.
    [Fact]
    public async Task Engine_MaxBuyDistance_MarketRunsAway_BuyCanceledOnTheExchangeAndPlacedAgain()
    {
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(100) };
        options.AddSymbol("XRPUSDT", s => ThirtySeven(s) with { MaxBuyDistance = 0.02m });
        await using var engine = new NaiveStrategyEngine(_exchange, _exchange, Options.Create(options), new TraderIdGenerator("st"), TimeProvider.System);
        await engine.StartAsync();
        var first = await Eventually(async () =>
        {
            _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.50m, 1000m, T0));
            return engine.GetState("XRPUSDT")!.Traders.FirstOrDefault(t => t.BuyOrder?.OrderId is not null)?.BuyOrder;
        });

        var second = await Eventually(async () =>
        {
            _server.PublishTrade(new TradeEvent("XRPUSDT", 2, 0.52m, 1000m, T0.AddSeconds(1))); // 4 % above 0.50
            return _server.Exchange.Orders.FirstOrDefault(o => o.ClientOrderId == first.ClientOrderId + "2");
        });

        _server.Exchange.Orders.Single(o => o.ClientOrderId == first.ClientOrderId).Status.Should().Be(OrderStatus.Canceled);
        second.Price.Should().Be(0.5148m, "under the price of its time: 0.52 less 1 %");
        _server.Exchange.Orders.Should().HaveCount(2, "one cancel, one new BUY, nothing sent twice");
    }

    // The market stream and the WebSocket API connected (107 twice), the user data stream subscribed (109).
    private async Task StreamsUpAsync()
    {
        await _signals.WaitAsync(107, 2);
        await _signals.WaitAsync(109);
    }

    // The id of the last market trade the engine's market data delivered (to a second subscriber beside the engine).
    private static SeenTrade SeenTrades(ServiceProvider provider)
    {
        var seen = new SeenTrade();
        seen.Subscription = provider.GetRequiredService<IMarketData>().MarketTrades("XRPUSDT").Subscribe(t => Interlocked.Exchange(ref seen.LastId, t.TradeId));
        return seen;
    }

    // Trade `id` reached the market data's subscribers (or was lost with a dropped stream), and the engine has caught up
    // with the exchange since: every order its traders track is on the exchange at the same status, twice in a row, with
    // no exchange call it started still running. The next trade meets the orders the last one led to.
    private async Task CaughtUpAsync(NaiveStrategyEngine engine, SeenTrade seen, long id)
    {
        await Wait.TryUntilAsync(() => Interlocked.Read(ref seen.LastId) >= id, TimeSpan.FromSeconds(2));
        var agreed = 0;
        await Wait.UntilAsync(
            () =>
            {
                var orders = _server.Exchange.Orders.ToDictionary(o => o.ClientOrderId, o => o.Status, StringComparer.Ordinal);
                var tracked = engine.GetState("XRPUSDT")!.Traders.SelectMany(t => new[] { t.BuyOrder, t.SellOrder }).OfType<OrderSnapshot>();
                var agrees = tracked.All(o => orders.TryGetValue(o.ClientOrderId, out var status) && status == o.Status) && engine.WaitUntilIdleAsync().IsCompletedSuccessfully;
                agreed = agrees ? agreed + 1 : 0;
                return agreed >= 2;
            },
            "the engine caught up with the exchange",
            TimeSpan.FromSeconds(10));
    }

    private sealed class SeenTrade : IDisposable
    {
        public long LastId;

        public IDisposable? Subscription { get; set; }

        public void Dispose() => Subscription?.Dispose();
    }

    private ServiceProvider EngineProvider(TimeSpan? retryDelay = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(_signals);
        services.AddNaiveStrategy(o =>
            {
                o.AddSymbol("XRPUSDT", s => s with { Chunks = 2, Budget = 100m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m, RebuyInterval = 0.05m });
                o.RetryDelay = retryDelay ?? o.RetryDelay;
            })
            .AddBinanceExchange(o =>
            {
                o.ApiKey = Key;
                o.SecretKey = Secret;
                o.RestBaseUrl = new Uri(_server.RestBaseUrl);
                o.WebSocketApiUrl = new Uri(_server.WebSocketApiUrl);
                o.StreamBaseUrl = new Uri(_server.StreamBaseUrl);
            });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Engine_EndToEnd_AgainstSandbox_BuysSellsWithoutDuplicates()
    {
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(_signals);
        services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT", s => s with { Chunks = 2, Budget = 100m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m, RebuyInterval = 0.05m }))
            .AddBinanceExchange(o =>
            {
                o.ApiKey = Key;
                o.SecretKey = Secret;
                o.RestBaseUrl = new Uri(_server.RestBaseUrl);
                o.WebSocketApiUrl = new Uri(_server.WebSocketApiUrl);
                o.StreamBaseUrl = new Uri(_server.StreamBaseUrl);
            });
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        await engine.StartAsync();
        using var seen = SeenTrades(provider);
        await StreamsUpAsync();

        _server.Faults.FailOrdersAfterAccepting(1); // the first buy's answer is lost
        long id = 0;
        foreach (var price in new[] { 0.50m, 0.49m, 0.48m, 0.52m, 0.53m })
        {
            _server.PublishTrade(new TradeEvent("XRPUSDT", ++id, price, 1000m, T0.AddSeconds(id)));
            await CaughtUpAsync(engine, seen, id);
        }

        var orders = _server.Exchange.Orders;
        orders.Select(o => o.ClientOrderId).Should().OnlyHaveUniqueItems();
        orders.Should().Contain(o => o.Side == OrderSide.Sell && o.Status == OrderStatus.Filled);
    }
}
