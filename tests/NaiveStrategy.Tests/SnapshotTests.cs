using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

// The read-only views the public API hands out in place of the reducers' records.
public sealed class SnapshotTests
{
    private static readonly OrderStatus[] Statuses = Enum.GetValues<OrderStatus>();

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, IStrategyStore? store)
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 3, rebuy: 0.02m, profit: 0.001m));
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("s"), exchange.Clock, store: store);
    }

    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: 1m) },
        Balances = { ["USDT"] = 1000m },
        StartTime = T0,
    });

    [Property(MaxTest = 200)]
    public Property Of_AnyTrader_ViewAgreesWithTheReducersRecord(PositiveInt bought, NonNegativeInt sold, byte commission, bool inBase, int dust, byte buyStatus, byte sellStatus, bool selling)
    {
        var buy = new TrackedOrder("t-1-b", OrderSide.Buy, 0.5m, bought.Get)
        {
            Status = Statuses[buyStatus % Statuses.Length],
            ExecutedQuantity = bought.Get,
            Commission = commission / 1000m,
            CommissionAsset = inBase ? "XRP" : "USDT",
        };
        var sell = selling ? new TrackedOrder("t-1-s", OrderSide.Sell, 0.51m, bought.Get) { Status = Statuses[sellStatus % Statuses.Length], ExecutedQuantity = Math.Min(sold.Get, bought.Get) } : null;
        var state = Fresh() with { BuyOrder = buy, SellOrder = sell, DustTaken = dust / 1000m };

        var view = TraderSnapshot.Of(state);

        return (view.HeldQuantity() == Trader.HeldQuantity(state)
                && view.OpenOrder?.ClientOrderId == state.OpenOrder?.ClientOrderId
                && view.BuyOrder!.IsOpen == buy.IsOpen
                && view.ToState() == state)
            .Label($"held {view.HeldQuantity()} vs {Trader.HeldQuantity(state)}, open {view.OpenOrder?.ClientOrderId} vs {state.OpenOrder?.ClientOrderId}");
    }

    [Fact]
    public async Task GetState_WithAStore_IsTheSnapshotTheStoreWasGivenLast()
    {
        var exchange = Exchange();
        var store = new LastSaved();
        await using var engine = Engine(exchange, store);
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.PublishTrade(Trade(0.97m, 2));
        await engine.WaitUntilIdleAsync();

        engine.GetState("XRPUSDT").Should().BeSameAs(store.Last, "a state is converted once, for the store and the readers");
        store.Last!.Traders.Should().NotBeEmpty();
    }

    [Fact]
    public async Task GetState_NoStoreStateUnchanged_SameInstanceAgainThenANewOneAfterAChange()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, null);
        await engine.StartAsync();
        var before = engine.GetState("XRPUSDT");
        before!.Traders.Should().OnlyContain(t => t.BuyOrder == null, "no trade has come yet");

        engine.GetState("XRPUSDT").Should().BeSameAs(before);
        exchange.PublishTrade(Trade(1.0m, 1));
        await engine.WaitUntilIdleAsync();
        var after = engine.GetState("XRPUSDT")!;

        after.Should().NotBeSameAs(before);
        after.Traders.Should().ContainSingle().Which.BuyOrder.Should().NotBeNull();
        before.Traders.Should().OnlyContain(t => t.BuyOrder == null, "a snapshot never changes once handed out");
    }

    private sealed class LastSaved : IStrategyStore
    {
        private readonly InMemoryStrategyStore _inner = new();

        public SymbolSnapshot? Last { get; private set; }

        public IReadOnlyList<StrategySnapshot> Load() => _inner.Load();

        public void SaveSymbol(SymbolSnapshot symbol)
        {
            Last = symbol;
            _inner.SaveSymbol(symbol);
        }

        public void RecordIntent(OrderIntent intent) => _inner.RecordIntent(intent);

        public void RecordOrderUpdate(OrderUpdate update) => _inner.RecordOrderUpdate(update);
    }
}
