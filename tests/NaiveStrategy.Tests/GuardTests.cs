using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class GuardTests
{
    private static InMemoryExchange Exchange(bool partial = false) => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: 1m) },
        Balances = { ["USDT"] = 100m },
        StartTime = T0,
        PartialFills = partial,
    });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, SymbolSettings settings, List<StrategyEvent> events, IStrategyStore? store = null, string run = "g")
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(run), exchange.Clock, store: store);
        engine.Events.Subscribe(events.Add);
        return engine;
    }

    private static SymbolSettings Guarded(GuardAction action, int chunks = 1) => Settings(chunks: chunks) with { StopLossPrice = 0.95m, GuardAction = action };

    private static decimal Held(InMemoryExchange exchange) => exchange.GetBalance("XRP") is var b ? b.Free + b.Locked : 0m;

    [Fact]
    public async Task StopLoss_ExitWithAFilledBuy_CancelsTheSellAndSellsAllAtMarketOnce()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, Guarded(GuardAction.Exit), events);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1)); // BUY 101 @ 0.99
        exchange.PublishTrade(Trade(0.98m, 2)); // fills; the SELL is placed

        exchange.PublishTrade(Trade(0.95m, 3)); // at the stop: fire, cancel the SELL, MARKET SELL 100
        exchange.PublishTrade(Trade(0.94m, 4)); // the MARKET SELL fills here

        var triggered = events.Select(e => e.Event).OfType<GuardTriggered>().Should().ContainSingle().Subject;
        triggered.Should().BeEquivalentTo(new { Guard = GuardKind.StopLoss, Action = GuardAction.Exit, Price = 0.95m, Figure = 0.95m, Threshold = 0.95m });
        var market = exchange.Orders.Where(o => o.Price == 0m).Should().ContainSingle().Subject;
        market.Should().BeEquivalentTo(new { Side = OrderSide.Sell, Quantity = 100m, ExecutedQuantity = 100m, Status = OrderStatus.Filled, QuoteQuantity = (decimal?)94m });
        exchange.Orders.Single(o => o.ClientOrderId.EndsWith("-s", StringComparison.Ordinal)).Status.Should().Be(OrderStatus.Canceled);
        var filled = events.Select(e => e.Event).OfType<GuardExitFilled>().Should().ContainSingle().Subject;
        filled.Should().BeEquivalentTo(new { Sold = 100m, Proceeds = 94m - 0.094m, Status = OrderStatus.Filled });
        Held(exchange).Should().BeLessThan(1m);
        var state = engine.GetState("XRPUSDT")!;
        state.Status.Should().Be(SymbolStatus.Off);
        state.Dust.Should().Be(Held(exchange));
        state.Guard.Fired.Should().BeEquivalentTo(new { Done = true, Sold = 100m, Proceeds = 93.906m });
        events.Select(e => e.Event).OfType<SymbolStopped>().Last().Reason.Should().Be(SymbolStopReason.GuardFired);
    }

    [Fact]
    public async Task StopLoss_Stop_CancelsOpenBuysHoldersKeepTheirSellsNoNewTrader()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, Settings(chunks: 2, rebuy: 0.01m) with { StopLossPrice = 0.965m }, events);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1)); // BUY 50 @ 0.99
        exchange.PublishTrade(Trade(0.975m, 2)); // fills, SELL placed; under the rebuy level: a second trader
        exchange.PublishTrade(Trade(0.97m, 3)); // the second trader's BUY @ 0.9603

        exchange.PublishTrade(Trade(0.965m, 4)); // at the stop, above the open BUY
        exchange.PublishTrade(Trade(1.02m, 5)); // the holder's SELL fills

        events.Select(e => e.Event).OfType<GuardTriggered>().Should().ContainSingle().Which.Action.Should().Be(GuardAction.Stop);
        var buys = exchange.Orders.Where(o => o.Side == OrderSide.Buy).ToList();
        buys.Should().HaveCount(2);
        buys[1].Status.Should().Be(OrderStatus.Canceled);
        exchange.Orders.Where(o => o.Side == OrderSide.Sell).Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Filled);
        var state = engine.GetState("XRPUSDT")!;
        state.Status.Should().Be(SymbolStatus.Off);
        state.Traders.Should().BeEmpty();

        exchange.PublishTrade(Trade(1.0m, 6));
        exchange.Orders.Should().HaveCount(3, "a fired guard keeps the symbol off");
    }

    [Fact]
    public async Task StartTradingAsync_AfterTheGuardFired_TradesAgainWithAFreshGuard()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, Guarded(GuardAction.Exit), events);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(Trade(0.94m, 2)); // fires before the BUY fills? no: the exchange fills first, then the guard

        engine.GetState("XRPUSDT")!.Guard.Fired.Should().NotBeNull();
        exchange.PublishTrade(Trade(0.94m, 3));
        await engine.StartTradingAsync("XRPUSDT");
        engine.GetState("XRPUSDT")!.Guard.Fired.Should().BeNull();
        engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.On);
    }

    [Fact]
    public async Task MaxDrawdown_EquityFallsFivePercentBelowItsPeak_Fires()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, Settings(chunks: 1) with { MaxDrawdown = 0.05m, GuardAction = GuardAction.Exit }, events);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1)); // peak 100
        exchange.PublishTrade(Trade(0.98m, 2)); // 101 bought @ 0.99 (fee in XRP): equity 100 - 99.99 + 100.899 × 0.98
        exchange.PublishTrade(Trade(0.94m, 3)); // equity 0.01 + 100.899 × 0.94 = 94.85: 5.15 % under the peak

        var fired = events.Select(e => e.Event).OfType<GuardTriggered>().Should().ContainSingle().Subject;
        fired.Guard.Should().Be(GuardKind.MaxDrawdown);
        fired.Figure.Should().BeApproximately(0.0515m, 0.0001m);
        fired.Threshold.Should().Be(0.05m);
    }

    [Fact]
    public async Task MaxDailyLoss_LossSinceMidnight_FiresAndANewDayStartsAfresh()
    {
        var exchange = Exchange();
        var events = new List<StrategyEvent>();
        await using var engine = Engine(exchange, Settings(chunks: 1) with { MaxDailyLoss = 3m }, events);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(Trade(0.98m, 2));
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 3, 0.96m, 1000m, T0.AddDays(1))); // a new day: its start is 0.96
        exchange.PublishTrade(new TradeEvent("XRPUSDT", 4, 0.95m, 1000m, T0.AddDays(1).AddHours(1))); // -1.0 since midnight
        events.Select(e => e.Event).OfType<GuardTriggered>().Should().BeEmpty();

        exchange.PublishTrade(new TradeEvent("XRPUSDT", 5, 0.93m, 1000m, T0.AddDays(1).AddHours(2))); // -3.03 since midnight

        var fired = events.Select(e => e.Event).OfType<GuardTriggered>().Should().ContainSingle().Subject;
        fired.Guard.Should().Be(GuardKind.MaxDailyLoss);
        fired.Figure.Should().Be(100.899m * 0.03m);
        engine.GetState("XRPUSDT")!.Guard.DayStart.Should().Be(T0.AddDays(1));
    }

    [Fact]
    public void IsQuiet_InsideTheGuardBand_TrueAndOnTradeChangesNothing()
    {
        var leader = new Leader();
        var settings = Settings(chunks: 1) with { MaxDrawdown = 0.05m, TakeProfitPrice = 1.2m };
        var state = leader.Start(LeaderState.Create(settings, "q"), Filters()).State;
        state = leader.OnTrade(state, Trade(1.0m, 1)).State; // BUY placed, peak 100
        state = leader.OnOrderUpdate(state, Update(state.Traders[0].BuyOrder!, OrderStatus.Filled, 101m)).State;

        // Equity 0.01 + 101 × p: the peak (100) rises above p = 0.99, the drawdown fires at or under p = 0.94049….
        foreach (var price in new[] { 0.9406m, 0.95m, 0.98m, 0.9899m })
        {
            leader.IsQuiet(state, Trade(price, 2)).Should().BeTrue($"{price} is inside the band");
            leader.OnTrade(state, Trade(price, 2)).State.Should().BeSameAs(state);
        }

        foreach (var price in new[] { 0.9404m, 0.9901m, 1.2m })
        {
            leader.IsQuiet(state, Trade(price, 2)).Should().BeFalse($"{price} is outside the band");
            leader.OnTrade(state, Trade(price, 2)).State.Should().NotBeSameAs(state);
        }
    }

    [Fact]
    public async Task StartAsync_KilledBetweenTheCancelAndTheMarketSell_RestartSellsExactlyOnce()
    {
        var exchange = Exchange();
        var store = new FailingStore();
        var events = new List<StrategyEvent>();
        var first = Engine(exchange, Guarded(GuardAction.Exit), events, store, "a");
        await first.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(Trade(0.98m, 2));

        // The process dies as it would save the step that sends the MARKET SELL: the SELL's cancel reached the
        // exchange, the exit never did.
        store.FailWhen = s => s.Guard.Fired?.ExitOrder is not null;
        exchange.PublishTrade(Trade(0.95m, 3));
        await first.DisposeAsync();
        store.FailWhen = null;
        exchange.Orders.Should().NotContain(o => o.Price == 0m);
        store.Load().Single().Guard!.Fired.Should().NotBeNull();

        await using var second = Engine(exchange, Guarded(GuardAction.Exit), events, store, "b");
        await second.StartAsync();
        exchange.PublishTrade(Trade(0.94m, 4));
        await second.DisposeAsync();

        await using var third = Engine(exchange, Guarded(GuardAction.Exit), events, store, "c");
        await third.StartAsync(); // a second restart after the exit: nothing is sold again
        exchange.PublishTrade(Trade(0.93m, 5));

        exchange.Orders.Where(o => o.Price == 0m).Should().ContainSingle().Which.Status.Should().Be(OrderStatus.Filled);
        Held(exchange).Should().BeLessThan(1m);
        third.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Off);
    }

    // A store that can be made to fail (the process dies before the step is durable, so nothing of it leaves).
    private sealed class FailingStore : IStrategyStore
    {
        private readonly InMemoryStrategyStore _inner = new();

        public Func<SymbolSnapshot, bool>? FailWhen { get; set; }

        public IReadOnlyList<StrategySnapshot> Load() => _inner.Load();

        public void SaveSymbol(SymbolSnapshot state)
        {
            if (FailWhen?.Invoke(state) == true)
            {
                throw new IOException("killed");
            }

            _inner.SaveSymbol(state);
        }

        public void RecordIntent(OrderIntent intent) => _inner.RecordIntent(intent);

        public void RecordOrderUpdate(OrderUpdate update) => _inner.RecordOrderUpdate(update);
    }
}
