using Microsoft.Extensions.Options;

using NaiveStrategy.Mock;
using static NaiveStrategy.Backtesting.Tests.SessionData;

namespace NaiveStrategy.Backtesting.Tests;

public sealed class BacktestSessionTests
{
    private static async Task<BacktestResult> Run(IEnumerable<decimal> prices, bool partial = false, FeeAsset fee = FeeAsset.Received)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = 100m }, PartialFills = partial, FeeAsset = fee, StartTime = T0 });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 4, Budget = 100m, BuyDownInterval = 0.002m, ProfitInterval = 0.003m, RebuyInterval = 0.01m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange, TimeSpan.FromMinutes(1));
        await session.StartAsync();
        long id = 0;
        foreach (var price in prices)
        {
            id++;
            session.Replay(new TradeEvent("XRPUSDT", id, price, 3m + (id % 7), T0.AddSeconds(id * 7)));
        }

        return session.Complete();
    }

    private static IEnumerable<decimal> Wave()
    {
        var random = new Random(7);
        var price = 0.5m;
        for (var i = 0; i < 4000; i++)
        {
            var drift = i < 2000 ? -0.0002m : 0.00025m;
            price = Math.Round(price * (1 + drift + (((decimal)random.NextDouble() - 0.5m) * 0.004m)), 4);
            yield return price;
        }
    }

    [Theory]
    [InlineData(false, FeeAsset.Received)]
    [InlineData(true, FeeAsset.Received)]
    [InlineData(false, FeeAsset.Quote)]
    public async Task CompleteAsync_PnlAgreesWithIndependentRecomputationFromJournal(bool partial, FeeAsset fee)
    {
        var result = await Run(Wave(), partial, fee);
        var report = result.Symbols.Should().ContainSingle().Subject;
        report.CyclesCompleted.Should().BePositive();

        // Independent: cash and position from the final orders alone, marked to the last price.
        decimal cash = 0, position = 0;
        foreach (var o in result.Journal.Select(j => j.Order))
        {
            var baseFee = o.CommissionAsset == "XRP" ? o.Commission : 0m;
            var quoteFee = o.CommissionAsset == "USDT" ? o.Commission : 0m;
            var sign = o.Side == OrderSide.Buy ? 1 : -1;
            cash -= (sign * o.ExecutedQuantity * o.Price) + quoteFee;
            position += (sign * o.ExecutedQuantity) - baseFee;
        }

        var expected = cash + (position * report.LastPrice);
        report.TotalPnl.Should().BeApproximately(expected, 0.00000001m);
        (report.RealizedPnl + report.UnrealizedPnl).Should().BeApproximately(expected, 0.0000001m);
        report.OpenPosition.Should().Be(position);
        report.Dust.Should().BeGreaterThanOrEqualTo(0m).And.BeLessThan(report.StepSize);
        report.Refusal.Should().BeNull();
        report.OrdersRejected.Should().Be(0);
    }

    [Fact]
    public async Task Constructor_ExchangeForgetsFinishedOrders_ThrowsNamingOption()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = 100m }, FinishedOrdersKept = 100 });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(new NaiveStrategyOptions()), new TraderIdGenerator("bt"), exchange.Clock);

        var act = () => new BacktestSession(engine, exchange);

        act.Should().Throw<ArgumentException>().WithMessage("*forgets finished orders beyond 100*FinishedOrdersKept*");
    }

    [Fact]
    public async Task Complete_SettingsRefused_ReportedWithTheMessageAndNoOrder()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp with { MinNotional = 10m } }, Balances = { ["USDT"] = 100m }, StartTime = T0 });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 5, Budget = 40m, BuyDownInterval = 0m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync();

        session.Replay(new TradeEvent("XRPUSDT", 1, 1m, 3m, T0));
        var result = session.Complete();

        result.Journal.Should().BeEmpty();
        result.Refusals.Should().Equal("XRPUSDT: budget/chunks 8 gives a BUY notional 8, below NOTIONAL 10");
        result.ToJson().Should().Contain("\"refusal\": \"XRPUSDT: budget/chunks 8 gives a BUY notional 8, below NOTIONAL 10\"");
    }

    [Fact]
    public async Task CompleteAsync_SameInputs_ByteIdenticalJsonAndJournal()
    {
        var a = await Run(Wave());
        var b = await Run(Wave());
        a.ToJson().Should().Be(b.ToJson());
        a.Journal.Should().Equal(b.Journal);
        a.ToJson().Should().Contain("\"maxDrawdown\"").And.Contain("\"buyAndHoldReturn\"");
    }

    [Theory]
    [InlineData(false, FillModel.Full, "full")]
    [InlineData(true, FillModel.Partial, "partial")]
    public async Task Complete_FillModel_NamedInResultAndJson(bool partial, FillModel model, string json)
    {
        var result = await Run(Wave(), partial);

        result.FillModel.Should().Be(model);
        System.Text.Json.JsonDocument.Parse(result.ToJson()).RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("fillModel", "symbols");
        result.ToJson().Should().Contain($"\"fillModel\": \"{json}\"");
    }

    [Fact]
    public async Task CompleteAsync_FallingMarket_DrawdownAndBuyAndHoldReported()
    {
        var result = await Run(Enumerable.Range(0, 500).Select(i => 0.5m - (i * 0.0004m)));
        var report = result.Symbols.Single();
        report.BuyAndHoldReturn.Should().BeNegative();
        report.MaxDrawdown.Should().BePositive();
        report.MaxDrawdownFraction.Should().BeInRange(0m, 1m);
        result.EquityCurves["XRPUSDT"].Should().NotBeEmpty();
    }

    [Fact]
    public async Task Replay_NoOrderActivity_AllocatesNothing()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Xrp }, Balances = { ["USDT"] = 100m }, StartTime = T0 });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 5, Budget = 100m, BuyDownInterval = 0.01m, RebuyInterval = 0.5m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bt"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync();
        var trade = new TradeEvent("XRPUSDT", 1, 0.5m, 1m, T0);
        session.Replay(trade);
        session.Replay(trade);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            session.Replay(trade);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}

public sealed class BacktestSessionFailureTests
{
    private static async Task<(BacktestSession Session, NaiveStrategyEngine Engine)> Start(SymbolFilters filters, bool partial = false)
    {
        var (session, engine, _) = await StartOn(filters, partial);
        return (session, engine);
    }

    private static async Task<(BacktestSession Session, NaiveStrategyEngine Engine, InMemoryExchange Exchange)> StartOn(SymbolFilters filters, bool partial = false)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { filters }, Balances = { ["USDT"] = 100m }, StartTime = T0, PartialFills = partial });
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 4, Budget = 100m, BuyDownInterval = 0.002m, ProfitInterval = 0.003m, RebuyInterval = 0.01m });
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("bt"), exchange.Clock);
        var session = new BacktestSession(engine, exchange);
        await session.StartAsync();
        return (session, engine, exchange);
    }

    private static readonly ExchangeError InsufficientBalance = new(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action.");

    [Fact]
    public async Task Complete_PlacementRefused_JournalHoldsItWithTheCodeAndMarketTime()
    {
        var (session, engine, exchange) = await StartOn(Xrp);
        await using (engine)
        using (session)
        {
            exchange.InjectPlacementFault(InsufficientBalance, acceptOrder: false);
            session.Replay(new TradeEvent("XRPUSDT", 1, 0.5m, 3m, T0.AddSeconds(5)));

            var result = session.Complete();

            var entry = result.Journal.Should().ContainSingle().Subject;
            entry.Error.Should().Be(InsufficientBalance);
            entry.TraderId.Should().Be("bt-XRPUSDT-1");
            entry.Order.Should().Be(new OrderUpdate("XRPUSDT", "bt-XRPUSDT-1-b", 0, OrderSide.Buy, 0.499m, 50.1m, 0m, OrderStatus.Rejected, 0m, null, T0.AddSeconds(5)));
            var report = result.Symbols.Single();
            report.OrdersPlaced.Should().Be(0, "the exchange never accepted it");
            report.OrdersRejected.Should().Be(1, "a refusal is counted once, not again from the journal");
        }
    }

    [Fact]
    public async Task Complete_SellRefusedAfterFilledBuy_JournalInPlacementOrder()
    {
        var (session, engine, exchange) = await StartOn(Xrp);
        await using (engine)
        using (session)
        {
            session.Replay(new TradeEvent("XRPUSDT", 1, 0.5m, 3m, T0));
            exchange.InjectPlacementFault(InsufficientBalance, acceptOrder: false);
            session.Replay(new TradeEvent("XRPUSDT", 2, 0.4m, 1000m, T0.AddSeconds(1)));

            var result = session.Complete();

            // The refusal pauses nothing for good: the funds left cover a share, so a new trader places its BUY.
            result.Journal.Select(j => (j.Order.Side, j.Order.Status, j.Error?.Code)).Should().Equal(
                (OrderSide.Buy, OrderStatus.Filled, (int?)null), (OrderSide.Sell, OrderStatus.Rejected, -2010), (OrderSide.Buy, OrderStatus.New, (int?)null));
            result.Journal[1].Order.Time.Should().Be(T0.AddSeconds(1));
            result.Journal[1].Order.Quantity.Should().BePositive();
            result.Symbols.Single().OrdersPlaced.Should().Be(2);
        }
    }

    [Fact]
    public async Task Complete_TraderCrashed_CountedInReportAndJson()
    {
        var (session, engine) = await Start(Xrp);
        await using (engine)
        using (session)
        {
            // The first trader's buy price computed from this trade overflows: the trader crashes.
            session.Replay(new TradeEvent("XRPUSDT", 1, decimal.MaxValue, 3m, T0));

            var result = session.Complete();

            result.TradersCrashed.Should().BePositive();
            result.Symbols.Single().TradersCrashed.Should().Be(result.TradersCrashed);
            result.ToJson().Should().Contain($"\"tradersCrashed\": {result.TradersCrashed}");
        }
    }

    [Fact]
    public async Task Complete_NoCrash_JsonWithoutCrashField()
    {
        var (session, engine) = await Start(Xrp);
        await using (engine)
        using (session)
        {
            session.Replay(new TradeEvent("XRPUSDT", 1, 0.5m, 3m, T0));
            session.Replay(new TradeEvent("XRPUSDT", 2, 0.4m, 1000m, T0.AddSeconds(1)));

            var result = session.Complete();

            result.Journal.Should().NotBeEmpty();
            result.TradersCrashed.Should().Be(0);
            result.ToJson().Should().NotContain("tradersCrashed");
        }
    }

    [Fact]
    public async Task Replay_PositionMarkedAtAHugePrice_OverflowExceptionNamesTheTrade()
    {
        // Partial fills: the huge price's tiny trade sells 0.1 of the position, the rest is marked at that price.
        var (session, engine) = await Start(Xrp, partial: true);
        await using (engine)
        using (session)
        {
            session.Replay(new TradeEvent("XRPUSDT", 1, 0.5m, 3m, T0));
            session.Replay(new TradeEvent("XRPUSDT", 2, 0.4m, 1000m, T0.AddSeconds(1)));

            var act = () => session.Replay(new TradeEvent("XRPUSDT", 3, 10_000_000_000_000_000_000_000_000_000m, 0.1m, T0.AddSeconds(2)));

            act.Should().Throw<BacktestOverflowException>().WithMessage("XRPUSDT trade 3 at 2024-01-01 00:00:02.000000 (price 10000000000000000000000000000, quantity 0.1) overflows*")
                .WithInnerException<OverflowException>();
        }
    }

    [Fact]
    public async Task Complete_FiguresOverflow_OverflowExceptionNamesTheSymbol()
    {
        var (session, engine) = await Start(Xrp);
        await using (engine)
        using (session)
        {
            // Buy and hold: last price / first price overflows.
            session.Replay(new TradeEvent("XRPUSDT", 1, 0.0001m, 3m, T0));
            session.Replay(new TradeEvent("XRPUSDT", 2, decimal.MaxValue, 3m, T0.AddSeconds(1)));

            var act = () => session.Complete();

            act.Should().Throw<BacktestOverflowException>().WithMessage("XRPUSDT: the report's figures overflow*");
        }
    }
}
