using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class LeaderTests
{
    private readonly Leader _leader = new();

    private LeaderState Started(int chunks = 3)
    {
        return _leader.Start(LeaderState.Create(Settings(chunks: chunks), "run"), Filters()).State;
    }

    // Every trader places its buy (first trade), then the price falls to trigger one rebuy.
    private LeaderState Drop(LeaderState state, decimal price, long id) => _leader.OnTrade(state, Trade(price, id)).State;

    [Fact]
    public void Start_Stopped_StartsExactlyOneTraderWithBudgetPerChunk()
    {
        var d = _leader.Start(LeaderState.Create(Settings(chunks: 4, budget: 100m), "run"), Filters());

        d.State.Status.Should().Be(SymbolStatus.On);
        d.State.Traders.Should().ContainSingle().Which.Budget.Should().Be(25m);
        d.Events.Should().ContainSingle().Which.Should().Be(new TraderStarted("run-1", TraderStartReason.Initial, 25m));
        d.Commands.Should().BeEmpty();
    }

    [Fact]
    public void Start_AlreadyRunning_Unchanged()
    {
        var state = Started();
        _leader.Start(state, Filters()).State.Should().BeSameAs(state);
    }

    [Fact]
    public void OnTrade_FallingPrice_GrowsTradersFromOneUpToChunks()
    {
        var state = Started(chunks: 3);
        var counts = new List<int> { state.Traders.Length };
        var price = 1.0m;
        for (var i = 1; i <= 40; i++)
        {
            state = Drop(state, price, i);
            counts.Add(state.Traders.Length);
            price *= 0.97m;
        }

        counts.Should().BeInAscendingOrder();
        counts.Max().Should().Be(3);
        counts.Should().Contain([1, 2, 3]);
        state.Traders.Select(t => t.TraderId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void OnTrade_RebuyWithChunksRunning_ReportsAllTradersStarted()
    {
        var state = Started(chunks: 1);
        state = Drop(state, 1.0m, 1);
        var d = _leader.OnTrade(state, Trade(0.5m, 2));
        d.Events.Should().HaveCount(2);
        d.Events[0].Should().BeOfType<RebuyTriggered>();
        d.Events[1].Should().Be(new AllTradersStarted("run-1"));
        d.State.Traders.Should().ContainSingle();
    }

    [Fact]
    public void OnRebuyTriggered_UnknownTrader_WarnsAndIgnores()
    {
        var state = Started();
        var d = _leader.OnRebuyTriggered(state, "nobody-7");
        d.Events.Should().ContainSingle().Which.Should().Be(new UnknownTraderNotified("nobody-7"));
        d.State.Traders.Should().HaveCount(1);
    }

    [Fact]
    public void OnOrderUpdate_SellFilledWhileOn_ReplacesTraderWithFreshOne()
    {
        var state = CycleToSell(Started());
        var sell = state.Traders[0].SellOrder!;

        var d = _leader.OnOrderUpdate(state, Update(sell, OrderStatus.Filled, sell.Quantity));

        d.Events.OfType<TraderFinished>().Should().ContainSingle().Which.Outcome.Should().Be(TraderOutcome.Completed);
        d.Events.OfType<TraderStarted>().Should().ContainSingle().Which.Reason.Should().Be(TraderStartReason.Replacement);
        d.State.Traders.Should().ContainSingle().Which.TraderId.Should().Be("run-2");
        d.State.Traders[0].BuyOrder.Should().BeNull();
        d.State.Traders[0].RebuyNotified.Should().BeFalse();
    }

    [Fact]
    public void Shutdown_ThenLastTraderFinishes_SymbolStops()
    {
        var state = CycleToSell(Started());
        state = Leader.Shutdown(state).State;
        state.Status.Should().Be(SymbolStatus.Shutdown);
        var sell = state.Traders[0].SellOrder!;

        var d = _leader.OnOrderUpdate(state, Update(sell, OrderStatus.Filled, sell.Quantity));

        d.State.Traders.Should().BeEmpty();
        d.State.Status.Should().Be(SymbolStatus.Off);
        d.Events.OfType<TraderStarted>().Should().BeEmpty();
        d.Events[^1].Should().BeOfType<SymbolStopped>().Which.Reason.Should().Be(SymbolStopReason.ShutdownComplete);
    }

    [Fact]
    public void Shutdown_TraderWithoutBuy_EndsAtOnceAndSymbolStops()
    {
        var state = Started(); // one trader, no trade seen yet: no BUY sent

        var d = Leader.Shutdown(state);

        d.State.Traders.Should().BeEmpty();
        d.State.Status.Should().Be(SymbolStatus.Off);
        d.Events.Should().SatisfyRespectively(
            e => e.Should().BeOfType<ShutdownStarted>(),
            e => e.Should().BeOfType<TraderFinished>().Which.Outcome.Should().Be(TraderOutcome.Canceled),
            e => e.Should().BeOfType<SymbolStopped>().Which.Reason.Should().Be(SymbolStopReason.ShutdownComplete));
        _leader.OnTrade(d.State, Trade(1.0m, 1)).Commands.Should().BeEmpty("no new position opens after shutdown began");
    }

    [Fact]
    public void Shutdown_HolderAndFreshTrader_OnlyTheHolderFinishesItsCycle()
    {
        var state = Drop(Started(chunks: 3), 1.0m, 1);   // trader 1 sends its BUY
        state = Drop(state, 0.5m, 2);                     // rebuy: trader 2 starts
        state = Drop(state, 0.5m, 3);                     // trader 2 sends its BUY
        state = state with { Traders = state.Traders.Add(state.Traders[0] with { TraderId = "run-9", BuyOrder = null, SellOrder = null }) };

        var d = Leader.Shutdown(state);

        d.State.Status.Should().Be(SymbolStatus.Shutdown);
        d.State.Traders.Select(t => t.TraderId).Should().Equal("run-1", "run-2");
        d.Events.OfType<TraderFinished>().Should().ContainSingle().Which.TraderId.Should().Be("run-9");
    }

    [Fact]
    public void OnOrderUpdate_ChunksLoweredBelowRunning_FinishedTraderNotReplaced()
    {
        var state = Drop(Started(chunks: 3), 1.0m, 1);   // trader 1 sends its BUY
        state = Drop(state, 0.5m, 2);                     // rebuy: trader 2 starts
        state = Drop(state, 0.5m, 3);                     // trader 2 sends its BUY
        state = Drop(state, 0.25m, 4);                    // rebuy: trader 3 starts
        state = Drop(state, 0.25m, 5);                    // trader 3 sends its BUY: all three hold, none is dropped
        state.Traders.Should().HaveCount(3);
        state.Traders.Should().OnlyContain(t => t.BuyOrder != null);
        state = CycleToSell(state, state.Traders[0]);
        state = Leader.UpdateSettings(state, Settings(chunks: 2)).State;
        var sell = state.Traders[0].SellOrder!;

        var d = _leader.OnOrderUpdate(state, Update(sell, OrderStatus.Filled, sell.Quantity));

        d.State.Traders.Should().HaveCount(2, "two still run, which is not fewer than the new chunks");
        d.Events.OfType<TraderStarted>().Should().BeEmpty();
    }

    [Fact]
    public void OnTrade_RebuyDuringShutdown_StartsNoTrader()
    {
        var state = Leader.Shutdown(Drop(Started(), 1.0m, 1)).State;
        var d = _leader.OnTrade(state, Trade(0.5m, 2));
        d.Events.OfType<AllTradersStarted>().Should().ContainSingle();
        d.State.Traders.Should().ContainSingle();
    }

    [Fact]
    public void Stop_Running_RemovesTradersAndReportsOpenOrders()
    {
        var state = Drop(Started(), 1.0m, 1);
        var d = Leader.Stop(state);
        d.State.Status.Should().Be(SymbolStatus.Off);
        d.State.Traders.Should().BeEmpty();
        d.Events.Should().ContainSingle().Which.Should().BeOfType<SymbolStopped>().Which.OpenOrders.Should().ContainSingle().Which.ClientOrderId.Should().Be("run-1-b");
    }

    [Fact]
    public void OnPlacementFailed_OnlyTraderRejected_NotReplacedAndSymbolStops()
    {
        var state = Drop(Started(), 1.0m, 1);
        var d = _leader.OnPlacementFailed(state, "run-1-b", new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: PERCENT_PRICE_BY_SIDE"));
        d.State.Traders.Should().BeEmpty();
        d.State.Status.Should().Be(SymbolStatus.Off);
        d.Events.OfType<TraderStarted>().Should().BeEmpty();
        var stopped = d.Events[^1].Should().BeOfType<SymbolStopped>().Subject;
        (stopped.Reason, stopped.LastOutcome).Should().Be((SymbolStopReason.NoTraderLeft, TraderOutcome.Rejected));
    }

    [Fact]
    public void OnOrderUpdate_TraderThrows_RestoredFromLastStateWithSameId()
    {
        var crashing = new Leader((s, i) => i is OrderUpdateInput ? throw new InvalidOperationException("boom") : Trader.Decide(s, i));
        var state = crashing.OnTrade(crashing.Start(LeaderState.Create(Settings(), "run"), Filters()).State, Trade(1.0m)).State;
        var before = state.Traders[0];

        var d = crashing.OnOrderUpdate(state, Update(before.BuyOrder!, OrderStatus.Filled, 20m));

        d.Events.Should().ContainSingle().Which.Should().BeOfType<TraderCrashed>().Which.TraderId.Should().Be("run-1");
        d.State.Traders.Should().ContainSingle().Which.Should().BeSameAs(before);
        var after = crashing.OnTrade(d.State, Trade(0.5m, 9));
        after.Events.OfType<RebuyTriggered>().Should().ContainSingle("the restored trader keeps working");
    }

    [Fact]
    public void OnOrderUpdate_NoOwner_ReportsUnknownOrder()
    {
        var state = Started();
        var stray = new OrderUpdate("XRPUSDT", "old-9-s", 7, OrderSide.Sell, 1m, 1m, 1m, OrderStatus.Filled, 0m, null, T0);
        _leader.OnOrderUpdate(state, stray).Events.Should().ContainSingle().Which.Should().Be(new UnknownOrderUpdate(stray));
    }

    [Theory]
    [InlineData("run-1-s", OrderStatus.Filled, true)]
    [InlineData("run-1-b", OrderStatus.Canceled, true)]
    [InlineData("run-1-b2", OrderStatus.Filled, true)]
    [InlineData("run-1-s", OrderStatus.New, false)] // open, and no trader owns it: needs a look
    [InlineData("run-7-s", OrderStatus.Filled, false)] // a number this Leader never gave
    [InlineData("run-1-x1", OrderStatus.Filled, false)]
    [InlineData("other-1-s", OrderStatus.Filled, false)]
    public void OnOrderUpdate_FinalUpdateOfAnEarlierTradersOrder_ReportedAsLate(string clientOrderId, OrderStatus status, bool late)
    {
        // Trader run-1 filled its SELL and finished (the stream told it first); run-2 took its place.
        var state = Started() with { NextTraderNumber = 3 };
        state = state with { Traders = [.. state.Traders.Select(t => t with { TraderId = "run-2" })] };
        var update = new OrderUpdate("XRPUSDT", clientOrderId, 7, OrderSide.Sell, 1m, 1m, 1m, status, 0m, null, T0);

        var reported = _leader.OnOrderUpdate(state, update).Events.Should().ContainSingle().Which.Should().BeOfType<UnknownOrderUpdate>().Subject;

        reported.Late.Should().Be(late);
    }

    [Fact]
    public void UpdateSettings_NewTradersUseThem_RunningTradersKeepTheirs()
    {
        var state = Drop(Started(chunks: 3), 1.0m, 1);
        state = Leader.UpdateSettings(state, Settings(chunks: 3, budget: 300m)).State;
        state = Drop(state, 0.5m, 2);
        state.Traders.Select(t => t.Budget).Should().Equal(100m / 3, 100m);
    }

    [Fact]
    public void Restore_SavedTraders_ResumesWithSameIds()
    {
        var saved = Drop(Started(), 1.0m, 1).Traders;
        var d = Leader.Restore(LeaderState.Create(Settings(), "run"), Filters(), saved);
        d.State.Status.Should().Be(SymbolStatus.On);
        d.State.Traders.Should().Equal(saved);
    }

    private LeaderState CycleToSell(LeaderState state)
    {
        state = Drop(state, 1.0m, 1);
        return CycleToSell(state, state.Traders[0]);
    }

    private LeaderState CycleToSell(LeaderState state, TraderState trader)
    {
        var buy = trader.BuyOrder!;
        return _leader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, buy.Quantity)).State;
    }
}
