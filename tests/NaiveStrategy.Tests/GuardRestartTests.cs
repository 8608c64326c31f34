using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// Restarts with a guard fired while a trader's order was still on its way (PendingNew): the order must not be sent
// again by the reconciliation, since the guard has already decided that no BUY (and, for Exit, no SELL) goes out.
public sealed class GuardRestartTests
{
    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: 1m) },
        Balances = { ["USDT"] = 100m },
        StartTime = T0,
    });

    // The state a process saved just before it died: a BUY decided and saved (PendingNew), then the guard fired on
    // the next trade, before the BUY reached the exchange.
    private static InMemoryStrategyStore SavedWithPendingBuy(SymbolSettings settings)
    {
        var leader = new Leader();
        var state = leader.Start(LeaderState.Create(settings, "k"), Filters(minNotional: 1m)).State;
        state = leader.OnTrade(state, Trade(1.0m, 1)).State;
        state.Traders.Single().BuyOrder!.Status.Should().Be(OrderStatus.PendingNew);
        state = leader.OnTrade(state, Trade(0.95m, 2)).State;
        state.Guard.Fired.Should().NotBeNull();
        state.Traders.Single().Halt.Should().Be(settings.GuardAction);

        var store = new InMemoryStrategyStore();
        store.SaveSymbol(SymbolSnapshot.Of(state));
        return store;
    }

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, SymbolSettings settings, IStrategyStore store)
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("r"), exchange.Clock, store: store);
    }

    [Theory]
    [InlineData(GuardAction.Exit)]
    [InlineData(GuardAction.Stop)]
    public async Task StartAsync_GuardFiredWhileABuyWasPendingNew_NeverSendsTheBuyAndEndsTheGuard(GuardAction action)
    {
        var settings = Settings(chunks: 1) with { StopLossPrice = 0.95m, GuardAction = action };
        var store = SavedWithPendingBuy(settings);
        var exchange = Exchange();

        await using var engine = Engine(exchange, settings, store);
        await engine.StartAsync();
        await engine.WaitUntilIdleAsync();
        exchange.PublishTrade(Trade(0.90m, 3)); // would fill a resent BUY @ 0.99

        exchange.Orders.Should().BeEmpty("the guard fired before the BUY reached the exchange");
        var state = engine.GetState("XRPUSDT")!;
        state.Traders.Should().BeEmpty();
        state.Status.Should().Be(SymbolStatus.Off);
        state.Guard.Fired.Should().BeEquivalentTo(new { Done = true, Kind = GuardKind.StopLoss });
        exchange.GetBalance("USDT").Free.Should().Be(100m);
    }

    [Fact]
    public async Task StartAsync_GuardFiredWhileTheExchangeHadTheBuy_CancelsItOnce()
    {
        var settings = Settings(chunks: 1) with { StopLossPrice = 0.95m, GuardAction = GuardAction.Exit };
        var store = SavedWithPendingBuy(settings);
        var exchange = Exchange();
        var buy = store.Load().Single().Traders.Single().BuyOrder!;
        (await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", buy.ClientOrderId, OrderSide.Buy, buy.Price, buy.Quantity))).IsSuccess.Should().BeTrue();

        await using var engine = Engine(exchange, settings, store);
        await engine.StartAsync();
        await engine.WaitUntilIdleAsync();
        exchange.PublishTrade(Trade(0.90m, 3));

        exchange.Orders.Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Canceled);
        engine.GetState("XRPUSDT")!.Guard.Fired!.Done.Should().BeTrue();
    }
}
