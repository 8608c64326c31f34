using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class RestartTests
{
    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: 1m) },
        Balances = { ["USDT"] = 1000m },
        StartTime = T0,
    });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, IStrategyStore store, string run)
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 3, rebuy: 0.02m, profit: 0.001m));
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(run), exchange.Clock, store: store);
    }

    [Fact]
    public async Task StartAsync_AfterCrashWithFillWhileDown_ResumesSameTraderAndSellsOnce()
    {
        var exchange = Exchange();
        var store = new InMemoryStrategyStore();
        var first = Engine(exchange, store, "a");
        await first.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        var traderId = first.GetState("XRPUSDT")!.Traders.Single().TraderId;
        await first.DisposeAsync(); // the process dies; the order stays on the exchange

        exchange.PublishTrade(Trade(0.97m, 2)); // fills the buy while nobody listens

        await using var second = Engine(exchange, store, "b");
        await second.StartAsync();

        var trader = second.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Subject;
        trader.TraderId.Should().Be(traderId);
        trader.BuyOrder!.Status.Should().Be(OrderStatus.Filled);
        trader.SellOrder.Should().NotBeNull();
        exchange.Orders.Select(o => o.ClientOrderId).Should().Equal($"{traderId}-b", $"{traderId}-s");
        store.Intents.Select(i => i.Request.ClientOrderId).Should().Equal($"{traderId}-b", $"{traderId}-s");
    }

    [Fact]
    public async Task StartAsync_IntentRecordedButNeverSent_SentExactlyOnce()
    {
        var exchange = Exchange();
        var store = new InMemoryStrategyStore();
        var state = new Leader().Start(LeaderState.Create(Settings(chunks: 3), "x"), Filters(minNotional: 1m)).State;
        state = new Leader().OnTrade(state, Trade(1.0m, 1)).State;
        store.SaveSymbol(SymbolSnapshot.Of(state)); // saved with a PendingNew buy; the process died before sending

        await using var engine = Engine(exchange, store, "b");
        await engine.StartAsync();
        await engine.StartAsync(); // starting twice must not send it twice either

        exchange.Orders.Should().ContainSingle().Which.ClientOrderId.Should().Be("x-1-b");
        engine.GetState("XRPUSDT")!.Traders.Single().BuyOrder!.Status.Should().Be(OrderStatus.New);
        store.Intents.Should().ContainSingle("the resend is journaled before it leaves").Which.Request.ClientOrderId.Should().Be("x-1-b");
    }

    [Fact]
    public async Task StartAsync_SavedTraders_NoStateWithoutThemIsEverSaved()
    {
        var exchange = Exchange();
        var store = new RecordingStore();
        await using (var first = Engine(exchange, store, "a"))
        {
            await first.StartAsync();
            exchange.PublishTrade(Trade(1.0m, 1));
        }

        store.Saved.Clear();
        await using var second = Engine(exchange, store, "b");
        await second.StartAsync();

        // A kill between any two saves must find the trader in the file: a restart never saves a state without it.
        store.Saved.Should().NotBeEmpty().And.OnlyContain(count => count == 1);
    }

    [Fact]
    public async Task StartAsync_StoredShutdown_StaysInShutdown()
    {
        var exchange = Exchange();
        var store = new InMemoryStrategyStore();
        var first = Engine(exchange, store, "a");
        await first.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        first.ShutdownTrading("XRPUSDT");
        await first.DisposeAsync();

        await using var second = Engine(exchange, store, "b");
        await second.StartAsync();
        second.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.Shutdown);
    }

    [Fact]
    public async Task Process_StoreThrows_OrderNotSent()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, new ThrowingStore(), "a");
        await engine.StartAsync();
        exchange.PublishTrade(Trade(1.0m, 1));
        exchange.Orders.Should().BeEmpty();
    }

    private sealed class ThrowingStore : IStrategyStore
    {
        private int _saves;

        public IReadOnlyList<StrategySnapshot> Load() => [];

        // The start is saved; the first order decision fails to save (disk full).
        public void SaveSymbol(SymbolSnapshot state)
        {
            if (++_saves > 1)
            {
                throw new IOException("disk full");
            }
        }

        public void RecordIntent(OrderIntent intent) => throw new IOException("disk full");

        public void RecordOrderUpdate(OrderUpdate update)
        {
        }
    }

    private sealed class RecordingStore : IStrategyStore
    {
        private readonly InMemoryStrategyStore _inner = new();

        public List<int> Saved { get; } = [];

        public IReadOnlyList<StrategySnapshot> Load() => _inner.Load();

        public void SaveSymbol(SymbolSnapshot state)
        {
            Saved.Add(state.Traders.Count);
            _inner.SaveSymbol(state);
        }

        public void RecordIntent(OrderIntent intent) => _inner.RecordIntent(intent);

        public void RecordOrderUpdate(OrderUpdate update) => _inner.RecordOrderUpdate(update);
    }
}
