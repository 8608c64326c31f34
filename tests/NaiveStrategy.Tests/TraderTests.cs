using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class TraderTests
{
    private static (TraderState State, TrackedOrder Buy) WithBuy(SymbolSettings? settings = null, SymbolFilters? filters = null)
    {
        var d = Trader.OnTrade(Fresh(settings, filters), Trade(1.0m));
        return (d.State, d.State.BuyOrder!);
    }

    private static TraderState WithSell()
    {
        var (state, buy) = WithBuy();
        return Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, buy.Quantity)).State;
    }

    [Fact]
    public void OnTrade_NoBuyOrder_PlacesLimitBuyBelowPrice()
    {
        var d = Trader.OnTrade(Fresh(Settings(budget: 50m)), Trade(1.0m));

        var place = d.Commands.Should().ContainSingle().Which.Should().BeOfType<PlaceOrder>().Subject;
        place.Request.Should().Be(new OrderRequest("XRPUSDT", "r-1-b", OrderSide.Buy, 0.99m, 10m));
        d.State.BuyOrder!.Status.Should().Be(OrderStatus.PendingNew);
        d.State.RebuyPrice.Should().Be(0.891m);
    }

    [Fact]
    public void OnTrade_BuyOrderWorking_AboveRebuyLevel_Unchanged()
    {
        var (state, _) = WithBuy();
        var d = Trader.OnTrade(state, Trade(0.95m));
        d.State.Should().BeSameAs(state);
        d.Commands.Should().BeEmpty();
    }

    [Fact]
    public void OnTrade_PriceStrictlyBelowRebuyLevel_NotifiesOnce()
    {
        var (state, _) = WithBuy();

        var first = Trader.OnTrade(state, Trade(0.89m));
        var second = Trader.OnTrade(first.State, Trade(0.80m));

        first.Commands.Should().ContainSingle().Which.Should().Be(new NotifyRebuy("r-1", 0.89m));
        first.State.RebuyNotified.Should().BeTrue();
        second.Commands.Should().BeEmpty();
    }

    [Fact]
    public void OnTrade_PriceEqualToRebuyLevel_DoesNotNotify()
    {
        var (state, _) = WithBuy();
        Trader.OnTrade(state, Trade(state.RebuyPrice)).Commands.Should().BeEmpty();
    }

    [Fact]
    public void OnTrade_BuyBelowMinNotional_RefusedBeforeAnyOrder()
    {
        var d = Trader.OnTrade(Fresh(Settings(budget: 20m), Filters(minNotional: 10m)), Trade(1.0m));

        d.Commands.Should().BeEmpty();
        d.Events.Should().HaveCount(2);
        d.Events[0].Should().Be(new SettingsRefused("r-1", "NOTIONAL", "XRPUSDT: budget/chunks 4 gives a BUY notional 3.96, below NOTIONAL 10"));
        d.Events[1].Should().BeOfType<TraderFinished>().Which.Outcome.Should().Be(TraderOutcome.Rejected);
        d.State.Outcome.Should().Be(TraderOutcome.Rejected);
    }

    // The case: BUY 10 @ 1.0000 would fill, then SELL 9 (10 minus the 0.01 fee, floored) @ 1.0007 = 9.0063 < 10.
    [Fact]
    public void OnTrade_SellAfterFeeBelowNotional_BuyRefusedBeforeAnyOrder()
    {
        var settings = Settings(chunks: 5, budget: 52.5m, buyDown: 0m, profit: -0.0012m) with { FeeRate = 0.001m };

        var d = Trader.OnTrade(Fresh(settings, Filters(minNotional: 10m)), Trade(1.0m));

        d.Commands.Should().BeEmpty();
        d.Events[0].Should().Be(new SettingsRefused("r-1", "NOTIONAL", "XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10"));
        d.State.Outcome.Should().Be(TraderOutcome.Rejected);
        d.State.BuyOrder.Should().BeNull();
    }

    [Fact]
    public void OnTrade_SellQuantityAfterFeeBelowLotSize_Refused()
    {
        var d = Trader.OnTrade(Fresh(Settings(budget: 50m), Filters(step: 1000m)), Trade(0.01m));

        d.Commands.Should().BeEmpty();
        d.Events.OfType<SettingsRefused>().Single().Message.Should().Be("XRPUSDT: budget/chunks 10 gives a SELL quantity 0, below LOT_SIZE 1000");
    }

    [Fact]
    public void OnTrade_SellAboveMaxPrice_RefusedNamingPriceFilter()
    {
        var d = Trader.OnTrade(Fresh(Settings(budget: 500m), Filters() with { MaxPrice = 1.0m }), Trade(1.0m));

        d.Events.OfType<SettingsRefused>().Single().Message.Should().Be("XRPUSDT: budget/chunks 100 gives a SELL price 1.0019, above PRICE_FILTER maximum 1");
    }

    [Theory]
    [InlineData("9.0063", "10", "9.006")]
    [InlineData("9.99999", "10", "9.999")]
    [InlineData("1000.0001", "1000", "1000.0001")]
    [InlineData("0.00123456", "0.01", "0.001234")]
    [InlineData("123456.7", "5", "123456")]
    public void Figure_FourSignificantDigitsCutNeverEqualToLimit(string value, string limit, string expected) =>
        SettingsCheck.Figure(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(expected);

    [Fact]
    public void OnOrderUpdate_BuyFilledWithDust_SellTakesWholeStepsAndLeavesTheRest()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m, commission: 0.02m, asset: "XRP"), dust: 0.98m);

        d.Commands.OfType<PlaceOrder>().Single().Request.Quantity.Should().Be(20m, "19.98 held + 0.98 dust = 20.96, floored to 20");
        d.State.DustTaken.Should().Be(0.02m);
        Trader.HeldQuantity(d.State).Should().Be(20m);
    }

    [Fact]
    public void OnOrderUpdate_BuyFilledWithoutDust_LeavesItsRemainder()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m, commission: 0.02m, asset: "XRP"));

        d.Commands.OfType<PlaceOrder>().Single().Request.Quantity.Should().Be(19m);
        d.State.DustTaken.Should().Be(-0.98m);
        Trader.HeldQuantity(d.State).Should().Be(19m);
    }

    [Fact]
    public void OnOrderUpdate_DustPushesSellOverMaxQuantity_SellsWithoutIt()
    {
        var (state, buy) = WithBuy(filters: Filters() with { MaxQuantity = 20m });
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m, commission: 0.02m, asset: "XRP"), dust: 1.5m);

        d.Commands.OfType<PlaceOrder>().Single().Request.Quantity.Should().Be(19m);
        d.State.DustTaken.Should().Be(-0.98m);
    }

    [Fact]
    public void QuoteCommitted_OverACycle_LockThenSpentThenProceeds()
    {
        var (state, buy) = WithBuy();
        Trader.QuoteCommitted(Fresh()).Should().Be(0m);
        Trader.QuoteCommitted(state).Should().Be(0.99m * 20m, "an open BUY locks price × quantity");

        var partial = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Canceled, 12m)).State;
        Trader.QuoteCommitted(partial).Should().Be(0.99m * 12m, "a BUY that cannot execute any more spent what it executed");

        var selling = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m)).State;
        var sold = Trader.OnOrderUpdate(selling, Update(selling.SellOrder!, OrderStatus.Filled, 20m, commission: 0.02m, asset: "USDT")).State;
        Trader.QuoteCommitted(sold).Should().Be((0.99m * 20m) - ((1.0019m * 20m) - 0.02m));
    }

    [Fact]
    public void OnOrderUpdate_BuyFilled_PlacesSellAtProfit()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m));

        d.Events.Should().ContainSingle().Which.Should().BeOfType<OrderFilled>();
        var sell = d.Commands.Should().ContainSingle().Which.Should().BeOfType<PlaceOrder>().Subject.Request;
        sell.Should().Be(new OrderRequest("XRPUSDT", "r-1-s", OrderSide.Sell, TradingMath.SellPrice(0.99m, 0.01m, 0.001m, 0.0001m), 20m));
        sell.Price.Should().Be(1.0019m);
    }

    [Fact]
    public void OnOrderUpdate_BuyFilledWithBaseCommission_SellsHeldQuantityFlooredToStep()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m, commission: 0.02m, asset: "XRP"));
        d.Commands.OfType<PlaceOrder>().Single().Request.Quantity.Should().Be(19m);
    }

    [Fact]
    public void OnOrderUpdate_BuyFilledWithQuoteCommission_SellsFullQuantity()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m, commission: 0.0198m, asset: "USDT"));
        d.Commands.OfType<PlaceOrder>().Single().Request.Quantity.Should().Be(20m);
    }

    [Fact]
    public void OnOrderUpdate_BuyPartiallyFilled_WaitsAndTracksExecuted()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.PartiallyFilled, 7m));

        d.Events.Should().ContainSingle().Which.Should().BeOfType<OrderFilled>();
        d.Commands.Should().BeEmpty();
        d.State.BuyOrder!.ExecutedQuantity.Should().Be(7m);
        d.State.SellOrder.Should().BeNull();
    }

    [Fact]
    public void OnOrderUpdate_DuplicateUpdate_IsIgnored()
    {
        var (state, buy) = WithBuy();
        var update = Update(buy, OrderStatus.PartiallyFilled, 7m);
        var once = Trader.OnOrderUpdate(state, update).State;
        var twice = Trader.OnOrderUpdate(once, update);
        twice.State.Should().BeSameAs(once);
        twice.Commands.Should().BeEmpty();
        twice.Events.Should().BeEmpty();
    }

    [Fact]
    public void OnOrderUpdate_StaleUpdateAfterFill_IsIgnored()
    {
        var (state, buy) = WithBuy();
        var filled = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, 20m)).State;

        var late = Trader.OnOrderUpdate(filled, Update(buy, OrderStatus.PartiallyFilled, 7m));
        var lateNew = Trader.OnOrderUpdate(filled, Update(buy, OrderStatus.New, 0m));

        late.State.Should().BeSameAs(filled);
        lateNew.State.Should().BeSameAs(filled);
    }

    [Fact]
    public void OnOrderUpdate_NewAfterPartialFill_IsIgnored()
    {
        var (state, buy) = WithBuy();
        var partial = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.PartiallyFilled, 7m)).State;
        Trader.OnOrderUpdate(partial, Update(buy, OrderStatus.New, 0m)).State.Should().BeSameAs(partial);
    }

    [Fact]
    public void OnOrderUpdate_UnknownClientOrderId_IsIgnored()
    {
        var (state, buy) = WithBuy();
        var other = buy with { ClientOrderId = "someone-else-b" };
        Trader.OnOrderUpdate(state, Update(other, OrderStatus.Filled, 20m)).State.Should().BeSameAs(state);
    }

    [Theory]
    [InlineData(OrderStatus.Canceled, TraderOutcome.Canceled)]
    [InlineData(OrderStatus.Expired, TraderOutcome.Canceled)]
    [InlineData(OrderStatus.Rejected, TraderOutcome.Rejected)]
    public void OnOrderUpdate_BuyEndedWithNothingExecuted_Finishes(OrderStatus status, TraderOutcome expected)
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnOrderUpdate(state, Update(buy, status, 0m));
        d.Events.Should().ContainSingle().Which.Should().BeOfType<TraderFinished>().Which.Outcome.Should().Be(expected);
        d.State.Outcome.Should().Be(expected);
    }

    [Fact]
    public void OnOrderUpdate_BuyCanceledAfterPartialFill_SellsWhatIsHeld()
    {
        var (state, buy) = WithBuy();
        var partial = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.PartiallyFilled, 12m)).State;
        var d = Trader.OnOrderUpdate(partial, Update(buy, OrderStatus.Canceled, 12m));
        d.Commands.Should().ContainSingle().Which.Should().BeOfType<PlaceOrder>().Which.Request.Quantity.Should().Be(12m);
    }

    [Fact]
    public void OnOrderUpdate_BuyCanceledAfterTinyFill_StrandedNotSent()
    {
        var (state, buy) = WithBuy(filters: Filters(minNotional: 5m));
        var d = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.Canceled, 2m));
        d.Commands.Should().BeEmpty();
        d.Events.Should().HaveCount(3);
        d.Events[1].Should().BeOfType<OrderNotSent>().Which.Filter.Should().Be("NOTIONAL");
        d.Events[2].Should().BeOfType<TraderFinished>().Which.Outcome.Should().Be(TraderOutcome.Stranded);
    }

    [Fact]
    public void OnOrderUpdate_SellFilled_CompletesCycle()
    {
        var state = WithSell();
        var d = Trader.OnOrderUpdate(state, Update(state.SellOrder!, OrderStatus.Filled, state.SellOrder!.Quantity));
        d.Events[^1].Should().BeOfType<TraderFinished>().Which.Outcome.Should().Be(TraderOutcome.Completed);
        d.State.Outcome.Should().Be(TraderOutcome.Completed);
    }

    [Fact]
    public void OnOrderUpdate_SellPartiallyFilled_Waits()
    {
        var state = WithSell();
        var d = Trader.OnOrderUpdate(state, Update(state.SellOrder!, OrderStatus.PartiallyFilled, 3m));
        d.State.Outcome.Should().BeNull();
        d.State.SellOrder!.ExecutedQuantity.Should().Be(3m);
    }

    [Theory]
    [InlineData(OrderStatus.Canceled)]
    [InlineData(OrderStatus.Expired)]
    [InlineData(OrderStatus.Rejected)]
    public void OnOrderUpdate_SellEndedUnfilled_StrandedWithHeldQuantity(OrderStatus status)
    {
        var state = WithSell();
        var d = Trader.OnOrderUpdate(state, Update(state.SellOrder!, status, 4m));
        var finished = d.Events[^1].Should().BeOfType<TraderFinished>().Subject;
        finished.Outcome.Should().Be(TraderOutcome.Stranded);
        finished.Detail.Should().Contain("holding 16 XRP");
    }

    [Fact]
    public void OnPlacementFailed_Buy_FinishesRejected()
    {
        var (state, buy) = WithBuy();
        var d = Trader.OnPlacementFailed(state, buy.ClientOrderId, new ExchangeError(ExchangeErrorKind.InsufficientFunds, -2010, "Account has insufficient balance for requested action."));
        var finished = d.Events.Should().ContainSingle().Which.Should().BeOfType<TraderFinished>().Subject;
        finished.Outcome.Should().Be(TraderOutcome.Rejected);
        finished.Detail.Should().Contain("-2010");
    }

    [Fact]
    public void OnPlacementFailed_Sell_Stranded()
    {
        var state = WithSell();
        var d = Trader.OnPlacementFailed(state, state.SellOrder!.ClientOrderId, new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: LOT_SIZE"));
        d.State.Outcome.Should().Be(TraderOutcome.Stranded);
    }

    [Fact]
    public void OnPlacementFailed_AfterExchangeAnswered_IsIgnored()
    {
        var (state, buy) = WithBuy();
        var acked = Trader.OnOrderUpdate(state, Update(buy, OrderStatus.New, 0m)).State;
        Trader.OnPlacementFailed(acked, buy.ClientOrderId, new ExchangeError(ExchangeErrorKind.Rejected, -1, "late")).State.Should().BeSameAs(acked);
    }

    [Fact]
    public void Decide_FinishedTrader_IgnoresEverything()
    {
        var (state, buy) = WithBuy();
        var done = state with { Outcome = TraderOutcome.Completed };
        Trader.Decide(done, new MarketTradeInput(Trade(0.1m))).State.Should().BeSameAs(done);
        Trader.Decide(done, new OrderUpdateInput(Update(buy, OrderStatus.Filled, 20m))).State.Should().BeSameAs(done);
    }

    [Fact]
    public void OnTrade_NothingHappens_AllocatesNothing()
    {
        var (state, _) = WithBuy();
        var trade = Trade(0.95m);
        Trader.OnTrade(state, trade);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Trader.OnTrade(state, trade);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
