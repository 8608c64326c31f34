using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The money rules of the Leader (issue #14): dust, funds, both legs through the filters, chunks as a
// ceiling, shutdown.
public sealed class LeaderMoneyTests
{
    private static readonly ExchangeError NoFunds = new(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action.");

    private readonly Leader _leader = new();

    private LeaderState Start(SymbolSettings settings, decimal? free = null, SymbolFilters? filters = null) =>
        _leader.Start(LeaderState.Create(settings, "run"), filters ?? Filters(), free).State;

    // Every trader without a BUY places it at `price`; the one whose BUY is filled places its SELL.
    private LeaderState Trade(LeaderState state, decimal price, long id = 1) => _leader.OnTrade(state, TestData.Trade(price, id)).State;

    private LeaderState FillBuy(LeaderState state, int trader = 0, decimal commission = 0m)
    {
        var buy = state.Traders[trader].BuyOrder!;
        return _leader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, buy.Quantity, commission, commission == 0 ? null : "XRP")).State;
    }

    private LeaderDecision FillSell(LeaderState state, int trader = 0)
    {
        var sell = state.Traders[trader].SellOrder!;
        return _leader.OnOrderUpdate(state, Update(sell, OrderStatus.Filled, sell.Quantity));
    }

    [Fact]
    public void OnOrderUpdate_SellsFlooredToStep_RemainderKeptAsDustAndSoldOnceWhole()
    {
        // A profitable cycle, so the second trader has the same 20 to spend.
        var state = Trade(Start(Settings(chunks: 1, budget: 20m, buyDown: 0m, profit: 0.1m)), 1.0m);

        state = FillBuy(state, commission: 0.02m);
        state.Traders[0].SellOrder!.Quantity.Should().Be(19m);
        state.Dust.Should().Be(0.98m);

        state = Trade(FillSell(state).State, 1.0m, 2);
        state = FillBuy(state, commission: 0.02m);
        state.Traders[0].SellOrder!.Quantity.Should().Be(20m, "19.98 held + 0.98 dust makes a whole step more");
        state.Dust.Should().Be(0.96m);
    }

    [Fact]
    public void Start_FreeQuoteBelowShare_WaitsForFundsAndAsksForTheBalance()
    {
        var d = _leader.Start(LeaderState.Create(Settings(chunks: 5, budget: 100m), "run"), Filters(), 5m);

        d.State.Status.Should().Be(SymbolStatus.On);
        d.State.Traders.Should().BeEmpty();
        d.State.WaitingForFunds.Should().BeTrue();
        d.Events.Should().Equal(new WaitingForFunds(20m, 5m, "USDT"));
        d.Commands.Should().Equal(new CheckFunds());
    }

    [Fact]
    public void OnFundsKnown_CoversShare_StartsTheTraderItWaitedFor()
    {
        var state = Start(Settings(chunks: 5, budget: 100m), 5m);

        var d = _leader.OnFundsKnown(state, 20m, T0);

        d.State.WaitingForFunds.Should().BeFalse();
        d.State.Traders.Should().ContainSingle().Which.Budget.Should().Be(20m);
        d.Events.Should().Equal(new TraderStarted("run-1", TraderStartReason.FundsReturned, 20m), new FundsReturned(20m, "USDT"));
    }

    [Fact]
    public void OnFundsKnown_StillShort_AsksAgainOnMarketTimeWithBackoff()
    {
        var state = _leader.OnFundsKnown(Start(Settings(chunks: 5, budget: 100m), 5m), 6m, T0).State;
        state.FundsCheckAt.Should().Be(T0.AddSeconds(1));

        _leader.OnTrade(state, new TradeEvent("XRPUSDT", 1, 1m, 1m, T0.AddMilliseconds(999))).State.Should().BeSameAs(state);
        var due = _leader.OnTrade(state, new TradeEvent("XRPUSDT", 2, 1m, 1m, T0.AddSeconds(1)));
        due.Commands.Should().Equal(new CheckFunds());
        due.State.FundsCheckAt.Should().BeNull("the answer schedules the next check");

        var again = _leader.OnFundsKnown(due.State, 6m, T0.AddSeconds(1)).State;
        again.FundsCheckAt.Should().Be(T0.AddSeconds(3), "the second wait doubles");
    }

    [Fact]
    public void OnFundsKnown_BuyStillPending_ItsPriceTimesQuantityTakenOff()
    {
        var state = Trade(Start(Settings(chunks: 5, budget: 100m), 20m), 1.0m);
        state.Traders[0].BuyOrder!.Status.Should().Be(OrderStatus.PendingNew);

        // The exchange may answer before it has the BUY: 20 free is read as 20 − 0.99 × 20.
        _leader.OnFundsKnown(state, 20m, T0).State.FreeQuote.Should().Be(20m - (0.99m * 20m));
    }

    // A check sent before the step's BUY reaches the exchange would answer with quote the BUY has taken.
    [Fact]
    public void OnTrade_FundsCheckDueWithABuy_CheckSentAfterTheOrder()
    {
        var state = _leader.OnRebuyTriggered(Start(Settings(chunks: 2, budget: 100m), 60m), "run-1").State;
        state.WaitingForFunds.Should().BeTrue();
        state.Traders.Single().BuyOrder.Should().BeNull();

        var d = _leader.OnTrade(state with { FundsCheckAt = T0 }, new TradeEvent("XRPUSDT", 1, 1.0m, 1m, T0));

        d.Commands.Select(c => c.GetType()).Should().Equal(typeof(PlaceOrder), typeof(CheckFunds));
    }

    [Fact]
    public void OnPlacementFailed_InsufficientBalance_PausesTheSymbolNeverStopsIt()
    {
        var state = Trade(Start(Settings(chunks: 3), 1000m), 1.0m);

        var d = _leader.OnPlacementFailed(state, "run-1-b", NoFunds);

        d.State.Status.Should().Be(SymbolStatus.On);
        d.State.Traders.Should().BeEmpty();
        d.State.WaitingForFunds.Should().BeTrue();
        d.Events.OfType<SymbolStopped>().Should().BeEmpty();
        d.Events.OfType<WaitingForFunds>().Should().ContainSingle();
        d.Commands.Should().Equal(new CheckFunds());

        var resumed = _leader.OnFundsKnown(d.State, 1000m, T0);
        resumed.State.Traders.Should().ContainSingle().Which.TraderId.Should().Be("run-2");
    }

    [Fact]
    public void OnPlacementFailed_InsufficientBalanceWithFundsUnknown_StillWaits()
    {
        var state = Trade(Start(Settings(chunks: 3)), 1.0m);

        var d = _leader.OnPlacementFailed(state, "run-1-b", NoFunds);

        d.State.WaitingForFunds.Should().BeTrue();
        d.State.FreeQuote.Should().Be(0m);
    }

    [Fact]
    public void OnPlacementFailed_MarketClosed_RefusedLikeAnyRejectionNotReadAsLackOfFunds()
    {
        var state = Trade(Start(Settings(chunks: 3), 1000m), 1.0m);

        var d = _leader.OnPlacementFailed(state, "run-1-b", new ExchangeError(ExchangeErrorKind.MarketClosed, -2010, "Market is closed."));

        d.State.WaitingForFunds.Should().BeFalse();
        d.Events.OfType<WaitingForFunds>().Should().BeEmpty();
        d.Commands.Should().NotContain(new CheckFunds());
        var stopped = d.Events[^1].Should().BeOfType<SymbolStopped>().Subject;
        (stopped.Reason, stopped.LastOutcome).Should().Be((SymbolStopReason.NoTraderLeft, TraderOutcome.Rejected));
    }

    [Fact]
    public void OnOrderUpdate_OrdersMoveTheFreeQuote()
    {
        var state = Trade(Start(Settings(chunks: 1, budget: 20m, buyDown: 0m), 100m), 1.0m);
        state.FreeQuote.Should().Be(80m, "the BUY locks 20 × 1.0");

        state = FillBuy(state);
        state.FreeQuote.Should().Be(80m);

        var sold = FillSell(state).State;
        sold.FreeQuote.Should().Be(80m + (20m * 1.0120m));
        sold.RealizedPnl.Should().Be((20m * 1.0120m) - 20m);
    }

    [Fact]
    public void OnOrderUpdate_MarketableSellFilledAsTakerAbove_RealizedPnlAtTheFillPrice()
    {
        // A negative profit interval makes a SELL below the market: the exchange fills it at once at the market's 1.0
        // (its cumulative quote says so), not at its limit.
        var state = FillBuy(Trade(Start(Settings(chunks: 1, budget: 20m, buyDown: 0m, profit: -0.01m), 100m), 1.0m));
        var sell = state.Traders[0].SellOrder!;
        sell.Price.Should().BeLessThan(1.0m);

        var sold = _leader.OnOrderUpdate(state, Update(sell, OrderStatus.Filled, sell.Quantity) with { QuoteQuantity = sell.Quantity * 1.0m }).State;

        sold.RealizedPnl.Should().Be((sell.Quantity * 1.0m) - 20m, "the quote the SELL brought back, not quantity × limit");
        sold.FreeQuote.Should().Be(80m + (sell.Quantity * 1.0m));
    }

    [Fact]
    public void OnOrderUpdate_CycleAtALoss_NextTraderSharesWhatIsLeftOfTheBudget()
    {
        var state = Trade(Start(Settings(chunks: 2, budget: 100m, buyDown: 0m, profit: -0.01m)), 1.0m);
        state = FillBuy(state);
        var sellPrice = state.Traders[0].SellOrder!.Price;

        var d = FillSell(state);

        var loss = (50m * sellPrice) - 50m;
        loss.Should().BeNegative();
        d.State.RealizedPnl.Should().Be(loss);
        d.Events.OfType<TraderStarted>().Single().Budget.Should().Be((100m + loss) / 2);
    }

    [Fact]
    public void OnOrderUpdate_CycleAtAGain_BudgetNeverGrowsPastSettings()
    {
        var state = FillBuy(Trade(Start(Settings(chunks: 2, budget: 100m, buyDown: 0m, profit: 0.01m)), 1.0m));

        var d = FillSell(state);

        d.State.RealizedPnl.Should().BePositive();
        d.Events.OfType<TraderStarted>().Single().Budget.Should().Be(50m);
    }

    [Fact]
    public void OnOrderUpdate_AfterInsufficientBalance_OwnProceedsStartTheReplacement()
    {
        var state = Trade(Start(Settings(chunks: 2, budget: 100m, buyDown: 0m, rebuy: 0.1m), 1000m), 1.0m);
        state = Trade(Trade(state, 0.85m, 2), 0.85m, 3);
        state = _leader.OnPlacementFailed(state, "run-2-b", NoFunds).State;
        state.FreeQuote.Should().Be(0m);
        state.WaitingForFunds.Should().BeTrue();

        var d = FillSell(FillBuy(state));

        d.State.FreeQuote.Should().Be(50m * 1.0120m);
        d.Events.OfType<TraderStarted>().Should().ContainSingle().Which.Reason.Should().Be(TraderStartReason.Replacement);
        d.State.WaitingForFunds.Should().BeTrue("what is left after the replacement's share does not cover a second trader");

        var funded = _leader.OnFundsKnown(d.State, 1000m, T0);
        funded.Events.OfType<TraderStarted>().Should().ContainSingle().Which.Reason.Should().Be(TraderStartReason.FundsReturned);
        funded.State.Traders.Should().HaveCount(2);
    }

    [Fact]
    public void OnTrade_SellWouldBreakNotional_SymbolStopsWithTheMessageBeforeAnyOrder()
    {
        var settings = Settings(chunks: 5, budget: 52.5m, buyDown: 0m, profit: -0.0012m);
        var state = Start(settings, filters: Filters(minNotional: 10m));

        var d = _leader.OnTrade(state, TestData.Trade(1.0m));

        const string message = "XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10";
        d.Commands.Should().BeEmpty();
        d.State.Status.Should().Be(SymbolStatus.Off);
        d.State.Refusal.Should().Be(message);
        d.Events.OfType<SettingsRefused>().Single().Message.Should().Be(message);
        d.Events[^1].Should().Be(new SymbolStopped(SymbolStopReason.SettingsRefused, [], null, message));
    }

    [Fact]
    public void OnTrade_RefusedWhileOthersHold_HoldersFinishThenSymbolStops()
    {
        // The first trader buys 11 at 0.9 (SELL 10 × 0.9007 passes NOTIONAL 9); at 0.96 the next would sell 9 × 0.9607.
        var settings = Settings(chunks: 2, budget: 21m, buyDown: 0m, profit: -0.0012m, rebuy: 0.0001m);
        var state = FillBuy(Trade(Start(settings, filters: Filters(minNotional: 9m)), 0.9m));
        state = Trade(state, 0.85m, 2);
        state.Traders.Should().HaveCount(2);

        var refused = _leader.OnTrade(state, TestData.Trade(0.96m, 3));
        refused.Events.OfType<SettingsRefused>().Should().ContainSingle().Which.Message.Should().Be("XRPUSDT: budget/chunks 10.5 gives a SELL notional 8.646, below NOTIONAL 9");
        refused.State.Status.Should().Be(SymbolStatus.Shutdown);
        refused.State.Traders.Should().ContainSingle();

        var d = FillSell(refused.State);
        d.State.Status.Should().Be(SymbolStatus.Off);
        d.Events[^1].Should().BeOfType<SymbolStopped>().Which.Reason.Should().Be(SymbolStopReason.SettingsRefused);
        d.Events.OfType<TraderStarted>().Should().BeEmpty();
    }

    [Fact]
    public void OnOrderUpdate_ChunksLoweredBelowRunning_FinishedTradersNotReplacedUntilFewerRun()
    {
        var state = Start(Settings(chunks: 5, buyDown: 0m, rebuy: 0.01m));
        foreach (var (price, id) in new[] { (1.0m, 1L), (0.98m, 2L), (0.96m, 3L), (0.94m, 4L), (0.93m, 5L) })
        {
            state = Trade(state, price, id);
        }

        state.Traders.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            state = FillBuy(state, i);
        }

        state = Leader.UpdateSettings(state, Settings(chunks: 2, buyDown: 0m, rebuy: 0.01m)).State;
        state.Traders.Should().HaveCount(3, "holders finish their cycle");

        var first = FillSell(state, 0);
        first.Events.OfType<TraderStarted>().Should().BeEmpty("2 still run: not fewer than 2");
        first.State.Traders.Should().HaveCount(2);

        var second = FillSell(first.State, 0);
        second.Events.OfType<TraderStarted>().Should().ContainSingle("1 runs now: fewer than 2");
        second.State.Traders.Should().HaveCount(2);
    }

    [Fact]
    public void UpdateSettings_ChunksLowered_TradersWithoutBuyDroppedNewestFirst()
    {
        var state = Start(Settings(chunks: 3, buyDown: 0m, rebuy: 0.01m));
        state = Trade(state, 1.0m, 1);
        state = _leader.OnTrade(state, TestData.Trade(0.98m, 2)).State;
        state = _leader.OnRebuyTriggered(state, "run-1").State;
        state.Traders.Select(t => t.BuyOrder is null).Should().Equal(false, true, true);

        var d = Leader.UpdateSettings(state, Settings(chunks: 1, buyDown: 0m, rebuy: 0.01m));

        d.State.Traders.Select(t => t.TraderId).Should().Equal("run-1");
        d.Events.Should().Equal(
            new TraderFinished("run-2", TraderOutcome.Canceled, "chunks lowered to 1: dropped before it sent a BUY"),
            new TraderFinished("run-3", TraderOutcome.Canceled, "chunks lowered to 1: dropped before it sent a BUY"));
    }

    [Fact]
    public void Shutdown_TradersWithoutBuy_DroppedAndHoldersFinish()
    {
        var state = Trade(Start(Settings(chunks: 3, buyDown: 0m, rebuy: 0.01m)), 1.0m, 1);
        state = _leader.OnRebuyTriggered(state, "run-1").State;

        var d = Leader.Shutdown(state);

        d.State.Status.Should().Be(SymbolStatus.Shutdown);
        d.State.Traders.Select(t => t.TraderId).Should().Equal("run-1");
        d.Events.Should().Equal(new ShutdownStarted(), new TraderFinished("run-2", TraderOutcome.Canceled, "shutdown began before it sent a BUY: dropped"));
    }

    [Fact]
    public void Shutdown_OnlyTradersWithoutBuy_StopsAtOnce()
    {
        var d = Leader.Shutdown(Start(Settings()));

        d.State.Status.Should().Be(SymbolStatus.Off);
        d.State.Traders.Should().BeEmpty();
        d.Events[^1].Should().Be(new SymbolStopped(SymbolStopReason.ShutdownComplete, []));
    }

    [Fact]
    public void Shutdown_WhileWaitingForFunds_StopsWaiting()
    {
        var d = Leader.Shutdown(Start(Settings(), 1m));

        d.State.WaitingForFunds.Should().BeFalse();
        d.State.Status.Should().Be(SymbolStatus.Off);
    }

    [Fact]
    public void Restore_OnWithNoTraderSaved_StartsOneOrWaitsForFunds()
    {
        var started = Leader.Restore(LeaderState.Create(Settings(), "run") with { FreeQuote = 100m }, Filters(), []);
        started.State.Traders.Should().ContainSingle();

        var waiting = Leader.Restore(LeaderState.Create(Settings(), "run") with { FreeQuote = 1m }, Filters(), []);
        waiting.State.WaitingForFunds.Should().BeTrue();
        waiting.Commands.Should().Equal(new CheckFunds());
    }
}
