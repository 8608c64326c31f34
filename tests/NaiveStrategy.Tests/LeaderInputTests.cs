using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The Leader decides about its inputs themselves: a fill without its commission, a stream that fails or delivers
// again, a symbol resumed from the store.
public sealed class LeaderInputTests
{
    private static readonly DateTimeOffset At = new(2024, 1, 1, 0, 0, 5, TimeSpan.Zero);
    private readonly Leader _leader = new();

    // One trader with its BUY acknowledged by the exchange.
    private LeaderState Buying()
    {
        var state = _leader.OnTrade(_leader.Start(LeaderState.Create(Settings(chunks: 1), "run"), Filters()).State, Trade(1.0m, 1)).State;
        var buy = state.Traders[0].BuyOrder!;
        return _leader.OnOrderUpdate(state, Update(buy, OrderStatus.New, 0m)).State;
    }

    private static OrderUpdate Update(TrackedOrder order, OrderStatus status, decimal executed, bool commissionKnown = true) =>
        new("XRPUSDT", order.ClientOrderId, 7, order.Side, order.Price, order.Quantity, executed, status, executed * 0.001m, "XRP", At) { CommissionKnown = commissionKnown };

    [Fact]
    public void OnOrderUpdate_FillWithoutItsCommission_HeldBackAndCommissionAskedFor()
    {
        var state = Buying();
        var buy = state.Traders[0].BuyOrder!;
        var update = Update(buy, OrderStatus.Filled, buy.Quantity, commissionKnown: false);

        var d = _leader.OnOrderUpdate(state, update);

        d.State.Should().BeSameAs(state, "the trader sees the fill only with its fee");
        d.Events.Should().BeEmpty();
        d.Commands.Should().Equal(new CompleteCommission(state.Traders[0].TraderId, update, "XRP"));
    }

    [Fact]
    public void OnOrderUpdate_FillWithItsCommission_GoesToItsTrader()
    {
        var state = Buying();
        var buy = state.Traders[0].BuyOrder!;

        var d = _leader.OnOrderUpdate(state, Update(buy, OrderStatus.Filled, buy.Quantity));

        d.Commands.Should().NotContain(c => c is CompleteCommission);
        d.State.Traders[0].BuyOrder!.Status.Should().Be(OrderStatus.Filled);
    }

    [Fact]
    public void OnOrderUpdate_NoFillBeyondWhatTheTraderKnows_NotHeldBack()
    {
        var state = Buying();
        var buy = state.Traders[0].BuyOrder!;

        var d = _leader.OnOrderUpdate(state, Update(buy, OrderStatus.Canceled, 0m, commissionKnown: false));

        d.Commands.Should().NotContain(c => c is CompleteCommission);
    }

    [Fact]
    public void OnStreamFailed_OrderUpdates_ListedDownAndEveryOpenOrderAskedAbout()
    {
        var state = Buying();
        var failure = new StreamResubscribed(StrategyStream.OrderUpdates, new IOException("reset"), 1, TimeSpan.FromSeconds(1));

        var d = Leader.OnStreamFailed(state, failure, At);

        d.Events.Should().Equal(failure);
        d.Commands.Should().Equal(new ReconcileOrders());
        d.State.Streams.Down(At.AddSeconds(1), TimeSpan.FromMinutes(2)).Should().Equal(StrategyStream.OrderUpdates);
    }

    [Fact]
    public void OnStreamFailed_MarketTrades_ListedDownUntilATradeArrives()
    {
        var failure = new StreamResubscribed(StrategyStream.MarketTrades, null, 1, TimeSpan.FromSeconds(1));
        var down = Leader.OnStreamFailed(Buying(), failure, At);
        down.Commands.Should().BeEmpty("nothing was missed that an order query would find");

        _leader.IsQuiet(down.State, Trade(2.0m, 9)).Should().BeFalse("the trade tells the Leader the stream delivers again");
        var up = _leader.OnTrade(down.State, Trade(2.0m, 9));

        up.State.Streams.Down(At.AddSeconds(1), TimeSpan.FromMinutes(2)).Should().BeEmpty();
        up.State.Traders.Should().Equal(down.State.Traders);
    }

    [Fact]
    public void OnOrderUpdate_AnswerToACall_DoesNotMarkTheOrderStreamUp()
    {
        var state = Buying();
        var buy = state.Traders[0].BuyOrder!;
        var down = Leader.OnStreamFailed(state, new StreamResubscribed(StrategyStream.OrderUpdates, null, 1, TimeSpan.FromSeconds(1)), At).State;

        var answered = _leader.OnOrderUpdate(down, Update(buy, OrderStatus.New, 0m)).State;
        var streamed = _leader.OnOrderUpdate(down, Update(buy, OrderStatus.New, 0m), fromStream: true).State;

        answered.Streams.Down(At, TimeSpan.FromMinutes(2)).Should().Equal(StrategyStream.OrderUpdates);
        streamed.Streams.Down(At, TimeSpan.FromMinutes(2)).Should().BeEmpty();
    }

    [Fact]
    public void Resume_SavedSymbol_RestoresMoneyAndAsksAboutItsOrdersLast()
    {
        var saved = Buying();
        var stored = new StoredSymbol(saved.Settings, SymbolStatus.On, saved.Traders, saved.NextTraderNumber) { Dust = 0.5m, RealizedPnl = -1m };

        var d = Leader.Resume(LeaderState.Create(Settings(chunks: 1), "run2"), saved.Settings, Filters(), stored, 100m);

        d.State.Traders.Should().Equal(saved.Traders);
        (d.State.Dust, d.State.RealizedPnl, d.State.FreeQuote).Should().Be((0.5m, -1m, 100m));
        d.Commands[^1].Should().Be(new ReconcileOrders());
    }
}
